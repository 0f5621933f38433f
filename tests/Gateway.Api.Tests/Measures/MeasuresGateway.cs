using Gateway.Api.Tests.Workflow;
using Gateway.Testing;
using Hl7.Fhir.Model;
using FhirTask = Hl7.Fhir.Model.Task;
using Status = Hl7.Fhir.Model.Task.TaskStatus;

namespace Gateway.Api.Tests.Measures;

/// <summary>
/// A gateway seeded with referrals whose figures are known by construction (issue 19), sent and
/// moved over HTTP by the GP and the housing provider on a clock the fixture moves. All referrals
/// are made by test-gp at <see cref="Referred"/>:
/// <list type="bullet">
/// <item>16 in WS2 (the test ICB's area), routed to test-housing: 13 women, 3 men.</item>
/// <item>r1–r10 accepted on day 1, contacted (in-progress) on day 3; r1–r5 completed on day 30.</item>
/// <item>r11–r12 accepted on day 1, contacted on day 20; r13 accepted and never contacted.</item>
/// <item>r14–r16 (the men) declined on day 2, reason no-capacity.</item>
/// <item>r1–r10 each have two ONS4 measurements: satisfied changes by 1, 2, 3, 0, 2, 1, 4, 2, 3, 2
/// (mean 2, sd √(12/9)), worthwhile by 1 for everyone, the others not at all.</item>
/// <item>2 more in WS1, outside the ICB's area, left requested.</item>
/// </list>
/// </summary>
public class MeasuresGateway : ClockedJobsGatewayApp
{
    public static readonly int[] SatisfiedChanges = [1, 2, 3, 0, 2, 1, 4, 2, 3, 2];

    public HttpClient Gp { get; private set; } = null!;

    public HttpClient OtherGp { get; private set; } = null!;

    public HttpClient Operator { get; private set; } = null!;

    public HttpClient Commissioner { get; private set; } = null!;

    public HttpClient Municipality { get; private set; } = null!;

    /// <summary>When the referrals were made (the gateway's clock): their month is the period.</summary>
    public DateTimeOffset Referred { get; private set; }

    /// <summary>The WS2 referrals' ids: Patient, ServiceRequest, Task, and the measurements.</summary>
    public List<(string Patient, string Request, string Task, List<string> Measures)> InArea { get; } = [];

    public string Period => $"periodStart={Referred:yyyy-MM}&periodEnd={Referred:yyyy-MM}";

    public override async System.Threading.Tasks.Task InitializeAsync()
    {
        await base.InitializeAsync();
        Gp = await CreateClientAsync(TestPartners.Gp);
        OtherGp = await CreateClientAsync(TestPartners.OtherGp);
        Operator = await CreateClientAsync(TestPartners.Operator, "system/AuditEvent.rs system/Task.rs system/MeasureReport.rs");
        Commissioner = await CreateClientAsync(TestPartners.Commissioner, "system/*.rs system/Subscription.cruds");
        Municipality = await CreateClientAsync(TestPartners.Municipality, "system/MeasureReport.rs system/Measure.rs");
        Referred = Clock.GetUtcNow();

        var tasks = new List<FhirTask>();
        for (var i = 1; i <= 16; i++)
        {
            var (patient, request, task) = await ReferAsync("WS2 8LD", i >= 14 ? AdministrativeGender.Male : AdministrativeGender.Female);
            tasks.Add(task);
            InArea.Add((patient, request, task.Id, []));
        }

        for (var i = 0; i < 2; i++)
        {
            await ReferAsync("WS1 1AA", AdministrativeGender.Female);
        }

        for (var i = 0; i < 10; i++)
        {
            var (patient, request, _, measures) = InArea[i];
            measures.Add((await Gp.CreateAsync(Ons4(request, patient, Referred, 4, 5))).Id);
            measures.Add((await Gp.CreateAsync(Ons4(request, patient, Referred.AddDays(30), 4 + SatisfiedChanges[i], 6))).Id);
        }

        Clock.Advance(TimeSpan.FromDays(1));
        for (var i = 0; i < 13; i++)
        {
            tasks[i] = await Referrals.MoveAsync(Housing, tasks[i], Status.Accepted);
        }

        Clock.Advance(TimeSpan.FromDays(1));
        for (var i = 13; i < 16; i++)
        {
            tasks[i] = await Referrals.MoveAsync(Housing, tasks[i], Status.Rejected,
                t => t.StatusReason = new CodeableConcept("https://interop-gateway.example/fhir/CodeSystem/referral-business-status", "no-capacity"));
        }

        Clock.Advance(TimeSpan.FromDays(1));
        for (var i = 0; i < 10; i++)
        {
            tasks[i] = await Referrals.MoveAsync(Housing, tasks[i], Status.InProgress);
        }

        Clock.Advance(TimeSpan.FromDays(17));
        for (var i = 10; i < 12; i++)
        {
            tasks[i] = await Referrals.MoveAsync(Housing, tasks[i], Status.InProgress);
        }

        Clock.Advance(TimeSpan.FromDays(10));
        for (var i = 0; i < 5; i++)
        {
            tasks[i] = await Referrals.MoveAsync(Housing, tasks[i], Status.Completed, t => Referrals.Outputs(t, InArea[i].Measures[1]));
        }
    }

    private async Task<(string Patient, string Request, FhirTask Task)> ReferAsync(string postcode, AdministrativeGender sex)
    {
        var patient = Resources.Patient();
        patient.Gender = sex;
        patient.Address[0].PostalCode = postcode;
        var stored = await Gp.CreateAsync(patient);
        await Gp.CreateAsync(Resources.Consent(stored.Id, TestPartners.Housing));
        var request = await Gp.CreateAsync(Resources.ServiceRequest(stored.Id, TestPartners.Gp, authoredOn: Referred.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture)));
        return (stored.Id, request.Id, await Gp.ReferralTaskAsync(request.Id));
    }

    private static QuestionnaireResponse Ons4(string request, string patient, DateTimeOffset authored, int satisfied, int worthwhile)
    {
        var response = Resources.Ons4(request, patient, authored.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        response.Item[0].Answer[0].Value = new Integer(satisfied);
        response.Item[1].Answer[0].Value = new Integer(worthwhile);
        return response;
    }

    public override async System.Threading.Tasks.Task DisposeAsync()
    {
        foreach (var client in new[] { Gp, OtherGp, Operator, Commissioner, Municipality })
        {
            client?.Dispose();
        }

        await base.DisposeAsync();
    }
}
