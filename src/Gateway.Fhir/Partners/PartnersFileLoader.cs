using System.Text.Json;
using System.Xml;

namespace Gateway.Fhir.Partners;

/// <summary>
/// Reads and checks the partners file once, at start (STYLE rule 12): every problem found is
/// listed with the path of its entry, and any problem stops the start.
/// </summary>
public static class PartnersFileLoader
{
    public static PartnersFile Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new PartnersFileException($"The partners file '{Path.GetFullPath(path)}' (Gateway:PartnersFile) does not exist.");
        }

        PartnersFile? file;
        try
        {
            file = JsonSerializer.Deserialize<PartnersFile>(File.ReadAllBytes(path), PartnersJson.Options);
        }
        catch (JsonException e)
        {
            throw new PartnersFileException($"The partners file '{path}' is not valid: {e.Message}");
        }

        var problems = Check(file ?? throw new PartnersFileException($"The partners file '{path}' is empty."));
        if (problems.Count > 0)
        {
            throw new PartnersFileException($"The partners file '{path}' has {problems.Count} problem(s):\n- " + string.Join("\n- ", problems));
        }

        return file;
    }

    public static List<string> Check(PartnersFile file)
    {
        var problems = new List<string>();
        if (file.Partners is null or { Count: 0 })
        {
            problems.Add("partners: at least one partner is needed.");
            return problems;
        }

        var partnerIds = new HashSet<string>(StringComparer.Ordinal);
        var clientIds = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < file.Partners.Count; i++)
        {
            var partner = file.Partners[i];
            var at = $"partners[{i}] ({partner.Id})";
            if (string.IsNullOrWhiteSpace(partner.Id) || !Storage.ResourceId.IsValid(partner.Id))
            {
                problems.Add($"{at}.id: '{partner.Id}' is not usable as a FHIR id (1 to 64 letters, digits, '-' or '.').");
            }
            else if (!partnerIds.Add(partner.Id))
            {
                problems.Add($"{at}.id: another partner already has the id '{partner.Id}'.");
            }

            if (!PartnerKinds.All.Contains(partner.Kind))
            {
                problems.Add($"{at}.kind: '{partner.Kind}' is not one of {string.Join(", ", PartnerKinds.All)}.");
            }

            if (string.IsNullOrWhiteSpace(partner.Name))
            {
                problems.Add($"{at}.name: a partner needs a name.");
            }

            CheckDurations(partner, at, problems);
            CheckFhirEndpoint(partner, at, problems);
            PartnerSyncSettings.Check(partner, at, problems);
            DirectorySourceCheck.Check(partner, at, problems);
            CommissionerSettings.Check(partner, at, problems);
            for (var c = 0; c < (partner.Clients?.Count ?? 0); c++)
            {
                var client = partner.Clients![c];
                var clientAt = $"{at}.clients[{c}] ({client.ClientId})";
                if (string.IsNullOrWhiteSpace(client.ClientId) || !clientIds.Add(client.ClientId))
                {
                    problems.Add($"{clientAt}.clientId: missing, or used by another client.");
                }

                if (client.Jwks is null == client.JwksUrl is null)
                {
                    problems.Add($"{clientAt}: give exactly one of 'jwks' (inline keys) or 'jwksUrl'.");
                }
                else if (client.Jwks is { } jwks)
                {
                    problems.AddRange(JwksProblems(jwks).Select(p => $"{clientAt}.jwks{p}"));
                }
                else if (!Uri.TryCreate(client.JwksUrl, UriKind.Absolute, out var url) || url.Scheme is not ("https" or "http"))
                {
                    problems.Add($"{clientAt}.jwksUrl: '{client.JwksUrl}' is not an http(s) URL.");
                }

                foreach (var scope in (client.Scopes ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    if (!ScopeSyntax.IsValid(scope))
                    {
                        problems.Add($"{clientAt}.scopes: '{scope}' is not a SMART system scope (e.g. system/Task.rus) nor a gateway scope (gateway/records.write).");
                    }
                }
            }
        }

        for (var r = 0; r < (file.Routing?.Count ?? 0); r++)
        {
            var rule = file.Routing![r];
            if ((rule.Performer is null) == (rule.ServiceCategory is null))
            {
                problems.Add($"routing[{r}]: give either 'performer' (a partner) or 'serviceCategory' (choose among the directory's services of that category), not both or neither.");
            }
            else if (rule.Performer is not null && !partnerIds.Contains(rule.Performer))
            {
                problems.Add($"routing[{r}].performer: '{rule.Performer}' is not a partner in this file.");
            }
        }

        for (var o = 0; o < (file.Operators?.Count ?? 0); o++)
        {
            var login = file.Operators![o];
            if (string.IsNullOrWhiteSpace(login.User) || string.IsNullOrWhiteSpace(login.PasswordEnv))
            {
                problems.Add($"operators[{o}]: needs 'user' and 'passwordEnv' (the environment variable holding the password).");
            }
        }

        CommissionerLoginChecks.Check(file, problems);
        return problems;
    }

    // SPEC §7: the gateway acts at this server as a coordination platform (docs/adr/0009).
    private static void CheckFhirEndpoint(Partner partner, string at, List<string> problems)
    {
        if (partner.FhirEndpoint is { } endpoint
            && (!Uri.TryCreate(endpoint, UriKind.Absolute, out var url) || url.Scheme is not ("https" or "http") || !string.IsNullOrEmpty(url.Query) || !string.IsNullOrEmpty(url.Fragment)))
        {
            problems.Add($"{at}.fhirEndpoint: '{endpoint}' is not the absolute http(s) base URL of a FHIR server (e.g. https://fhir.example.org/r4, no query).");
        }

        if (partner.FhirEndpointTokenEnv is { } tokenEnv && (partner.FhirEndpoint is null || string.IsNullOrWhiteSpace(tokenEnv)))
        {
            problems.Add($"{at}.fhirEndpointTokenEnv: names the environment variable of the bearer token for fhirEndpoint, so it needs a non-empty name and a fhirEndpoint beside it.");
        }
    }

    private static void CheckDurations(Partner partner, string at, List<string> problems)
    {
        foreach (var (name, value) in new[] { ("acceptWithin", partner.Sla?.AcceptWithin), ("updateEvery", partner.Sla?.UpdateEvery), ("remeasureAfter", partner.Sla?.RemeasureAfter) })
        {
            if (value is null)
            {
                continue;
            }

            try
            {
                XmlConvert.ToTimeSpan(value);
            }
            catch (FormatException)
            {
                problems.Add($"{at}.sla.{name}: '{value}' is not an ISO 8601 duration such as P5D.");
            }
        }
    }

    // RFC 7517/7518: the members a signing key of the two algorithms SMART backend services allow must have.
    private static IEnumerable<string> JwksProblems(JsonElement jwks)
    {
        if (!jwks.TryGetProperty("keys", out var keys) || keys.ValueKind != JsonValueKind.Array || keys.GetArrayLength() == 0)
        {
            yield return ": needs a non-empty 'keys' array.";
            yield break;
        }

        var index = 0;
        foreach (var key in keys.EnumerateArray())
        {
            var kty = key.TryGetProperty("kty", out var k) ? k.GetString() : null;
            var required = kty switch
            {
                "RSA" => ["n", "e"],
                "EC" => new[] { "crv", "x", "y" },
                _ => null,
            };
            if (required is null)
            {
                yield return $".keys[{index}].kty: '{kty}' is not RSA or EC.";
            }
            else
            {
                foreach (var member in required.Where(m => !key.TryGetProperty(m, out _)))
                {
                    yield return $".keys[{index}]: the {kty} key has no '{member}'.";
                }
            }

            if (key.TryGetProperty("d", out _))
            {
                yield return $".keys[{index}]: holds a private key ('d'); register the public key only.";
            }

            index++;
        }
    }
}
