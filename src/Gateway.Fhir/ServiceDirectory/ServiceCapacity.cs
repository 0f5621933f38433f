using Gateway.Fhir.Conformance;
using Hl7.Fhir.Model;

namespace Gateway.Fhir.ServiceDirectory;

/// <summary>
/// A directory entry's capacity (SPEC §11), after the SDOH Clinical Care guide's capacity status
/// extension on HealthcareService: whether it takes referrals now and the expected wait, kept by
/// the provider (FHIR PATCH, its housing-case records, or its directory source).
/// </summary>
public sealed record ServiceCapacity(bool AcceptsReferrals, Duration? ExpectedWait, string? Note = null)
{
    public const string Url = GatewayGuide.CanonicalBase + "/StructureDefinition/service-capacity";

    /// <summary>A service that states no capacity takes referrals: most of the local offer never says.</summary>
    public static ServiceCapacity Of(HealthcareService service)
    {
        var extension = service.GetExtension(Url);
        if (extension is null)
        {
            return new ServiceCapacity(true, null);
        }

        var accepts = extension.GetExtension("acceptsReferrals")?.Value is FhirBoolean { Value: false } ? false : true;
        return new ServiceCapacity(accepts, extension.GetExtension("expectedWait")?.Value as Duration, (extension.GetExtension("note")?.Value as FhirString)?.Value);
    }

    /// <summary>Writes this capacity onto <paramref name="service"/>, replacing what it said.</summary>
    public void ApplyTo(HealthcareService service)
    {
        service.RemoveExtension(Url);
        var extension = new Extension { Url = Url };
        extension.Extension.Add(new Extension("acceptsReferrals", new FhirBoolean(AcceptsReferrals)));
        if (ExpectedWait is not null)
        {
            extension.Extension.Add(new Extension("expectedWait", ExpectedWait));
        }

        if (!string.IsNullOrWhiteSpace(Note))
        {
            extension.Extension.Add(new Extension("note", new FhirString(Note)));
        }

        service.Extension.Add(extension);
    }

    /// <summary>Carries the capacity <paramref name="from"/> states over to <paramref name="to"/> (a re-import that says nothing of it).</summary>
    public void ApplyToIfStated(HealthcareService from, HealthcareService to)
    {
        if (from.GetExtension(Url) is not null)
        {
            ApplyTo(to);
        }
    }

    /// <summary>The expected wait in days, for choosing the shortest; unknown waits sort last.</summary>
    public double WaitDays => ExpectedWait is { Value: { } value } wait ? (double)value * (wait.Code switch
    {
        "wk" => 7,
        "mo" => 30,
        "h" => 1.0 / 24,
        _ => 1,
    }) : double.MaxValue;

    public static Duration Days(int days) => new() { Value = days, Unit = days == 1 ? "day" : "days", System = "http://unitsofmeasure.org", Code = "d" };
}
