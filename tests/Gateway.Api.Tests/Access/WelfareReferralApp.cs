using Gateway.Api.Tests.Workflow;
using Gateway.Fhir.Access;
using Gateway.Testing;
using Hl7.Fhir.Model;

namespace Gateway.Api.Tests.Access;

/// <summary>
/// A gateway with two Dutch referrals to the test welfare organisation, each with consent and an
/// outcome measure: one patient's BSN under the NamingSystem URI, the other's under the OID (beside an NHS number).
/// </summary>
public sealed class WelfareReferralApp : GatewayApp
{
    public const string Family = "de Vries";

    public string Bsn { get; } = Referrals.NewBsn();

    public string OidBsn { get; } = Referrals.NewBsn();

    public WelfareReferral ByUri { get; private set; } = null!;

    public WelfareReferral ByOid { get; private set; } = null!;

    public HttpClient Welfare { get; private set; } = null!;

    public override async System.Threading.Tasks.Task InitializeAsync()
    {
        await base.InitializeAsync();
        Welfare = await CreateClientAsync(TestPartners.Welfare);
        ByUri = await ReferAsync(BsnSystems.Uri, Bsn);
        ByOid = await ReferAsync(BsnSystems.Oid, OidBsn);
    }

    public override async System.Threading.Tasks.Task DisposeAsync()
    {
        Welfare.Dispose();
        await base.DisposeAsync();
    }

    private async Task<WelfareReferral> ReferAsync(string system, string bsn)
    {
        var patient = Resources.Patient(family: Family);
        // The profile wants an NHS number or a BSN under its URI (gw-pat-1); a BSN under its OID comes beside one.
        patient.Identifier = system == BsnSystems.Uri ? [new Identifier(system, bsn)] : [new Identifier("https://fhir.nhs.uk/Id/nhs-number", Resources.NewNhsNumber()), new Identifier(system, bsn)];
        patient.Address = [new Address { Line = ["Oudestraat 12"], City = "Kampen", PostalCode = "8261 CJ", Country = "NL" }];
        patient = await Client.CreateAsync(patient);
        await Client.CreateAsync(Resources.Consent(patient.Id, TestPartners.Welfare));
        var request = await Client.CreateAsync(Resources.ServiceRequest(patient.Id, TestPartners.Gp, TestPartners.Welfare));
        var task = await Welfare.ReferralTaskAsync(request.Id);
        var measure = await Welfare.CreateAsync(Resources.Ons4(request.Id, patient.Id));
        return new WelfareReferral(patient.Id, request.Id, task.Id, measure.Id);
    }
}

public sealed record WelfareReferral(string PatientId, string RequestId, string TaskId, string MeasureId);
