using Gateway.Fhir.Partners;
using Gateway.Fhir.Search.Sql;
using Npgsql;

namespace Gateway.Fhir.Access;

/// <summary>
/// Which referrals a MeasureReport may count (SPEC §8, §10; docs/security.md): a commissioner's
/// area and programmes, everything for an operator and the gateway's own monthly reports, and
/// for any other partner exactly the referral Tasks <see cref="PartnerVisibility"/> lets it see.
/// Counting is not reading: nobody gets a person-level row from a report, and every figure is
/// suppressed (Measures/Suppression.cs) before it leaves the gateway.
/// </summary>
public sealed record MeasureScope(CallingPartner? Caller, CommissionerArea? Area, IReadOnlyList<string>? Programmes, string? CommissionerId)
{
    /// <summary>Every referral: the gateway's own reports, and an operator's view.</summary>
    public static readonly MeasureScope Everything = new(null, null, null, null);

    public static MeasureScope For(CallingPartner? caller, PartnerDirectory partners)
    {
        if (caller is null || caller.Kind == PartnerKinds.Operator)
        {
            return Everything;
        }

        if (caller.Kind == PartnerKinds.Commissioner && partners.Find(caller.PartnerId) is { } commissioner)
        {
            return ForCommissioner(commissioner);
        }

        return new MeasureScope(caller, null, null, null);
    }

    public static MeasureScope ForCommissioner(Partner commissioner) =>
        new(null, commissioner.Area ?? new CommissionerArea([], []), commissioner.Programmes, commissioner.Id);

    public bool IsCommissioner => CommissionerId is not null;

    /// <summary>Only the referrals of this referring practice (partner id): the console's filter. Narrows what the scope allows, never widens it.</summary>
    public string? Practice { get; init; }

    /// <summary>Only the referrals of this area stratum (a municipality code or postcode district, as the reports name it): the console's filter. Narrows, never widens.</summary>
    public string? AreaStratum { get; init; }

    /// <summary>The condition over the Task row <c>r</c> and the fact row <c>f</c> of Measures/ReferralFacts.sql: what the caller may count, narrowed by the filters.</summary>
    public string Condition(NpgsqlCommand command)
    {
        var condition = Allowed(command);
        if (Practice is { } practice)
        {
            condition = $"({condition}) and f.practice = {command.Bind(practice)}";
        }

        if (AreaStratum is { } area)
        {
            // The same expression as the area stratum of ReferralFacts.sql's select.
            condition = $"({condition}) and coalesce(nullif(f.municipality, ''), nullif(f.district, ''), 'unknown') = {command.Bind(area)}";
        }

        return condition;
    }

    // Postcode prefixes match as routing's do (Workflow/PostcodeArea.cs).
    private string Allowed(NpgsqlCommand command)
    {
        if (Area is { } area)
        {
            // A commissioner with neither prefixes nor codes (the partners file refuses one) would count nothing, not everything.
            var where = $"""
                (exists (select 1 from unnest({command.Bind(area.NormalisedPrefixes.ToArray())}::text[]) prefix
                         where case when prefix ~ '^[0-9]+$' then f.district like prefix || '%'
                                    when prefix ~ '^[A-Z]+$' then f.district ~ ('^' || prefix || '[0-9]')
                                    else f.district = prefix end)
                 or f.municipality = any({command.Bind(area.NormalisedMunicipalities.ToArray())}::text[]))
                """;
            return Programmes is { Count: > 0 } programmes ? $"{where} and f.programme = any({command.Bind(programmes.ToArray())}::text[])" : where;
        }

        return PartnerVisibility.Condition(command, Caller, "r", ["Task"]);
    }
}
