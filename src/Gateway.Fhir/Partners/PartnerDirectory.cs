namespace Gateway.Fhir.Partners;

/// <summary>The partners and clients of the partners file, looked up by id; loaded once at start.</summary>
public sealed class PartnerDirectory
{
    private readonly Dictionary<string, Partner> _partners;
    private readonly Dictionary<string, (Partner, ApiClient)> _clients;

    public PartnerDirectory(PartnersFile file)
    {
        File = file;
        _partners = file.Partners.ToDictionary(p => p.Id, StringComparer.Ordinal);
        _clients = file.Partners
            .SelectMany(p => (p.Clients ?? []).Select(c => (Partner: p, Client: c)))
            .ToDictionary(pc => pc.Client.ClientId, pc => (pc.Partner, pc.Client), StringComparer.Ordinal);
    }

    public PartnersFile File { get; }

    public IReadOnlyCollection<Partner> Partners => _partners.Values;

    public Partner? Find(string partnerId) => _partners.GetValueOrDefault(partnerId);

    public bool TryFindClient(string clientId, out Partner partner, out ApiClient client)
    {
        if (_clients.TryGetValue(clientId, out var found))
        {
            (partner, client) = found;
            return true;
        }

        (partner, client) = (null!, null!);
        return false;
    }
}
