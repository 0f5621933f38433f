using System.Net;
using Gateway.Testing;
using Hl7.Fhir.Model;

namespace Gateway.Api.Tests.Access;

/// <summary>
/// The rows of the isolation matrix that write: a conditional create, update, patch or delete, or a
/// Patient to be matched, aimed at a resource the caller may not see. Each must act as if there
/// were no match (SPEC §8: "Matching a Patient never reveals one the caller may not see") and
/// leave the hidden resource as its keeper last read it. Whatever a probe creates is the caller's
/// own and is deleted again, so the next probe of the same identifier meets no match of its own.
/// Conditional patch and delete answer 405 today (not supported): their rows hold as soon as
/// they are.
/// </summary>
public static class IsolationWritePaths
{
    public static readonly IReadOnlyList<IsolationPath> All =
    [
        new("conditional-create", ConditionalCreate),
        new("conditional-update", ConditionalUpdate),
        new("conditional-patch", ConditionalPatch),
        new("conditional-delete", ConditionalDelete),
        new("patient-matching", PatientMatching),
        new("patient-matching-transaction", PatientMatchingTransaction),
    ];

    // A Patient the caller writes itself, with the identifier of a hidden one (and its birth date, unless told otherwise).
    private static Patient ProbePatient(SeededResource hidden, string birthDate = IsolationGateway.BirthDate)
    {
        var patient = Resources.Patient(family: "Probe" + Guid.NewGuid().ToString("N")[..8]);
        patient.Identifier = [new Identifier(hidden.Identifiers[0].System, hidden.Identifiers[0].Value)];
        patient.BirthDate = birthDate;
        patient.Address = [new Address { Line = ["1 Lichfield Street"], City = "Wolverhampton", PostalCode = "WV1 1AA", Country = "GB" }];
        return patient;
    }

    // A referral the caller writes itself, for its own patient, with the identifier of a hidden one; no routing rule takes it anywhere.
    private static ServiceRequest ProbeRequest(IsolationProbe p, SeededResource hidden)
    {
        var own = p.Gateway.Seeded.FirstOrDefault(r => r.Type == "Patient" && r.Creator == p.Caller.Partner && r.Referral is null);
        var request = Resources.ServiceRequest(own?.Id ?? Guid.NewGuid().ToString(), p.Caller.Partner);
        request.Identifier = [new Identifier(hidden.Identifiers[0].System, hidden.Identifiers[0].Value)];
        return request;
    }

    private static IEnumerable<SeededResource> Writable(IsolationProbe p, params string[] types) => p.HiddenOf(types).Where(r => r.Identifiers.Count > 0);

    private static async Task ConditionalCreate(IsolationProbe p)
    {
        foreach (var hidden in Writable(p, "Patient", "ServiceRequest"))
        {
            Resource body = hidden.Type == "Patient" ? ProbePatient(hidden) : ProbeRequest(p, hidden);
            await ConditionalWrite(p, hidden, HttpMethod.Post, hidden.Type, FhirHttp.JsonContent(body), ("If-None-Exist", $"identifier={IsolationPaths.Token(hidden)}"));
        }
    }

    private static async Task ConditionalUpdate(IsolationProbe p)
    {
        foreach (var hidden in Writable(p, "Patient", "ServiceRequest"))
        {
            Resource body = hidden.Type == "Patient" ? ProbePatient(hidden) : ProbeRequest(p, hidden);
            await ConditionalWrite(p, hidden, HttpMethod.Put, $"{hidden.Type}?identifier={IsolationPaths.Token(hidden)}", FhirHttp.JsonContent(body));
        }
    }

    private static async Task ConditionalPatch(IsolationProbe p)
    {
        foreach (var hidden in Writable(p, "Patient", "ServiceRequest", "Task"))
        {
            var patch = hidden.Type switch
            {
                "Patient" => """[{"op":"replace","path":"/gender","value":"male"}]""",
                "ServiceRequest" => """[{"op":"add","path":"/note","value":[{"text":"probe"}]}]""",
                _ => """[{"op":"add","path":"/description","value":"probe"}]""",
            };
            await ConditionalWrite(p, hidden, HttpMethod.Patch, $"{hidden.Type}?identifier={IsolationPaths.Token(hidden)}", FhirHttp.Content(patch, "application/json-patch+json"));
        }
    }

    private static async Task ConditionalDelete(IsolationProbe p)
    {
        foreach (var hidden in Writable(p, "Patient", "ServiceRequest", "Task"))
        {
            await ConditionalWrite(p, hidden, HttpMethod.Delete, $"{hidden.Type}?identifier={IsolationPaths.Token(hidden)}", null);
        }
    }

    private static async Task PatientMatching(IsolationProbe p)
    {
        foreach (var hidden in Writable(p, "Patient"))
        {
            await ConditionalWrite(p, hidden, HttpMethod.Post, "Patient", FhirHttp.JsonContent(ProbePatient(hidden)));
            // Another birth date: stored apart, and the link to the one it conflicts with is for operators (SPEC §8).
            using var conflicting = await ConditionalWrite(p, hidden, HttpMethod.Post, "Patient", FhirHttp.JsonContent(ProbePatient(hidden, "1960-01-01")));
            var body = await conflicting.Content.ReadAsStringAsync();
            if (conflicting.IsSuccessStatusCode && (body.Contains(hidden.Id, StringComparison.Ordinal) || body.Contains("identity-conflict", StringComparison.Ordinal)))
            {
                p.Fail($"POST Patient with the identifier of {hidden} and another birth date: {(int)conflicting.StatusCode} names it (link or identity-conflict tag)");
            }
        }
    }

    private static async Task PatientMatchingTransaction(IsolationProbe p)
    {
        foreach (var hidden in Writable(p, "Patient"))
        {
            var bundle = new Bundle
            {
                Type = Bundle.BundleType.Transaction,
                Entry = [new() { FullUrl = "urn:uuid:" + Guid.NewGuid(), Resource = ProbePatient(hidden), Request = new() { Method = Bundle.HTTPVerb.POST, Url = "Patient" } }],
            };
            using var response = await ConditionalWrite(p, hidden, HttpMethod.Post, p.Client.BaseAddress!.AbsoluteUri.TrimEnd('/'), FhirHttp.JsonContent(bundle));
            if (await IsolationProbe.BundleOf(response) is { } answer && answer.Entry.FirstOrDefault()?.Response is { } entry)
            {
                await CleanUp(p, entry.Location);
                if (entry.Status.StartsWith("200", StringComparison.Ordinal) && !p.Gateway.Live[p.Caller.Name].Contains(hidden.Identifiers[0].Value))
                {
                    p.Fail($"transaction POST Patient with the identifier of {hidden}: {entry.Status}, a match the caller may not see");
                }
            }
        }
    }

    /// <summary>
    /// A conditional write (or a create that matches) aimed at a hidden resource: it must act as if
    /// there were no match (SPEC §8), and the hidden resource, read by its keeper, must be as it was.
    /// </summary>
    private static async Task<HttpResponseMessage> ConditionalWrite(IsolationProbe p, SeededResource hidden, HttpMethod method, string url, HttpContent? content, params (string Name, string Value)[] headers)
    {
        var value = hidden.Identifiers[0].Value;
        var ownMatch = p.Gateway.Live[p.Caller.Name].Contains(value);
        var response = await p.SendAsync(method, url, content, headers);
        var what = $"{method} {url} aimed at {hidden}";
        p.Told.Add(value);
        if (!ownMatch)
        {
            if (method == HttpMethod.Post && response.StatusCode == HttpStatusCode.OK && url == hidden.Type)
            {
                p.Fail($"{what}: 200, a match the caller may not see");
            }
            else if (method == HttpMethod.Put && response.StatusCode == HttpStatusCode.OK)
            {
                p.Fail($"{what}: 200, updated a resource the caller may not see");
            }
            else if (method == HttpMethod.Patch && response.IsSuccessStatusCode)
            {
                p.Fail($"{what}: {(int)response.StatusCode}, patched a resource the caller may not see");
            }
            else if (response.StatusCode == HttpStatusCode.PreconditionFailed)
            {
                p.Fail($"{what}: 412, a match the caller may not see");
            }
        }

        if (response.StatusCode == HttpStatusCode.Created)
        {
            await CleanUp(p, response.Headers.Location?.ToString());
        }

        using var kept = await p.Gateway.ClientOf(hidden.Keeper).GetAsync(hidden.Reference);
        var version = kept.IsSuccessStatusCode ? (await kept.ReadResourceAsync<Resource>()).Meta.VersionId : null;
        if (kept.StatusCode != HttpStatusCode.OK || version != hidden.Version)
        {
            p.Fail($"{what}: afterwards its keeper {hidden.Keeper} reads {(int)kept.StatusCode} version {version}, was {hidden.Version}");
        }

        return response;
    }

    // What a probe created is the caller's own; it is deleted again so that the next probe of the same identifier finds no match of the caller's.
    private static async Task CleanUp(IsolationProbe p, string? location)
    {
        if (location is null || !location.Contains('/', StringComparison.Ordinal))
        {
            return;
        }

        var parts = location.Split('/');
        var index = Array.FindIndex(parts, s => s is "Patient" or "ServiceRequest");
        if (index < 0 || index + 1 >= parts.Length)
        {
            return;
        }

        var reference = $"{parts[index]}/{parts[index + 1]}";
        if (p.Hidden.Any(r => r.Reference == reference))
        {
            return; // a hidden resource handed over: reported, never deleted
        }

        using var current = await p.Client.GetAsync(reference);
        var identifier = current.IsSuccessStatusCode ? (await current.ReadResourceAsync<DomainResource>()) switch
        {
            Patient patient => patient.Identifier.FirstOrDefault()?.Value,
            ServiceRequest request => request.Identifier.FirstOrDefault()?.Value,
            _ => null,
        } : null;
        using var deleted = await p.Client.DeleteAsync(reference);
        if (identifier is not null)
        {
            if (deleted.IsSuccessStatusCode)
            {
                p.Gateway.Live[p.Caller.Name].Remove(identifier);
            }
            else
            {
                p.Gateway.Live[p.Caller.Name].Add(identifier);
            }
        }
    }
}
