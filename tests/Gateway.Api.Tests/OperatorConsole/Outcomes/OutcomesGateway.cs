using Gateway.Api.Tests.Measures;
using Gateway.Testing;
using Hl7.Fhir.Model;

namespace Gateway.Api.Tests.OperatorConsole;

/// <summary>
/// <see cref="MeasuresGateway"/>'s referrals with known numbers, and <see cref="OtherPracticeReferrals"/>
/// more from the other GP practice in WS1, outside the test ICB's area, made after them: an
/// operator counts 23 referrals from two practices in two areas, the ICB 16 from one.
/// </summary>
public sealed class OutcomesGateway : MeasuresGateway
{
    public const int OtherPracticeReferrals = 5;

    public override async System.Threading.Tasks.Task InitializeAsync()
    {
        await base.InitializeAsync();
        for (var i = 0; i < OtherPracticeReferrals; i++)
        {
            var patient = Resources.Patient();
            patient.Address[0].PostalCode = "WS1 1AA";
            var stored = await OtherGp.CreateAsync(patient);
            await OtherGp.CreateAsync(Resources.Consent(stored.Id, TestPartners.Housing));
            await OtherGp.CreateAsync(Resources.ServiceRequest(stored.Id, TestPartners.OtherGp));
        }
    }
}
