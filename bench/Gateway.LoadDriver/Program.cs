using System.CommandLine;
using System.Globalization;
using Gateway.LoadDriver;

// The load driver of issue 9: see docs/performance.md for the commands and the figures.
var gateway = new Option<Uri>("--gateway") { Description = "The gateway's root URL", DefaultValueFactory = _ => new Uri("http://127.0.0.1:8080/"), CustomParser = r => new Uri(r.Tokens.Single().Value) };
var keys = new Option<FileInfo>("--keys") { Description = "Private JWKS by client id", DefaultValueFactory = _ => new FileInfo("src/Gateway.Api/Demo/demo-client-keys.private.json") };
var samples = new Option<DirectoryInfo>("--samples") { Description = "The shared samples folder", DefaultValueFactory = _ => new DirectoryInfo("../shared/samples") };
var scenario = new Option<string>("--scenario") { Description = "preload | preload-wor | create | bundle | read-request | read-task | search-owner | search-patient | search-subject | search-active | feed | feed-head | feed-dump | patient-create | housing-case | housing-case-batch | wor-export | wor-export-file | floor", Required = true };
var concurrency = new Option<int>("--concurrency") { Description = "Concurrent clients", DefaultValueFactory = _ => 32 };
var warmup = new Option<int>("--warmup") { Description = "Seconds of warm-up, not counted", DefaultValueFactory = _ => 5 };
var seconds = new Option<int>("--seconds") { Description = "Seconds measured", DefaultValueFactory = _ => 20 };
var run = new Option<string>("--run") { Description = "The run id the preload used (its patients' NHS numbers derive from it)", DefaultValueFactory = _ => "r1" };
var count = new Option<long>("--count") { Description = "preload, preload-wor: referrals to make; read-request, read-task, search-patient, search-subject, housing-case, wor-export: referrals the preload made", DefaultValueFactory = _ => 100_000 };
var rows = new Option<long>("--rows") { Description = "housing-case-batch: records in the JSON array (one per preloaded referral, round again past --count); wor-export: rows in the file, each naming its own referral: the --count referrals of the preload, then their copies 1, 2, … (clone-referrals.sql)", DefaultValueFactory = _ => 100_000 };
var skip = new Option<long>("--skip") { Description = "wor-export: start this many rows into the sequence --rows counts in (to name referrals an earlier file did not); bundle, patient-create: start this many referrals or patients on (a later run on a kept store then meets none of an earlier run's patients)", DefaultValueFactory = _ => 0 };
var dutchBundle = new Option<FileInfo>("--dutch-bundle") { Description = "preload-wor: De Brug's referral transaction to copy", DefaultValueFactory = _ => new FileInfo("src/Gateway.Api/Demo/Seed/dutch-referral-transaction.json") };
var postgres = new Option<DirectoryInfo>("--postgres-folder") { Description = "floor: the sandbox's embedded cluster folder", DefaultValueFactory = _ => new DirectoryInfo("src/Gateway.Api/.gateway/postgres") };
var patientCount = new Option<int>("--patients") { Description = "create: patients made before the run, one per ServiceRequest (the gateway refuses a second active referral of a patient, service and requester)", DefaultValueFactory = _ => 40_000 };
var pid = new Option<int?>("--gateway-pid") { Description = "The gateway's process id, to report its resident memory" };
var output = new Option<FileInfo?>("--out") { Description = "wor-export-file, feed-dump: where to write the file (made as wor-export makes it, not sent), e.g. for gateway send" };

var root = new RootCommand("Drives a running Interop Gateway over HTTP and reports throughput and latency percentiles")
{
    gateway, keys, samples, scenario, concurrency, warmup, seconds, run, count, rows, skip, dutchBundle, postgres, patientCount, pid, output,
};
root.SetAction(async (parse, ct) =>
{
    // A wor-export file is answered only when its last row is done.
    var timeout = parse.GetValue(scenario) is "wor-export" or "housing-case-batch" ? Timeout.InfiniteTimeSpan : TimeSpan.FromSeconds(60);
    using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1024, PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = timeout };
    var data = new ReferralData(parse.GetValue(samples)!.FullName, parse.GetValue(run)!, parse.GetValue(dutchBundle)!.FullName);
    var baseUri = parse.GetValue(gateway)!;
    using var tokens = new AccessTokens(http, baseUri, parse.GetValue(keys)!.FullName);
    var scenarios = new Scenarios(http, baseUri, tokens, data);
    var clients = parse.GetValue(concurrency);
    var warm = TimeSpan.FromSeconds(parse.GetValue(warmup));
    var window = TimeSpan.FromSeconds(parse.GetValue(seconds));
    var referrals = parse.GetValue(count);
    var cpu = new ProcessCpu(parse.GetValue(pid), parse.GetValue(postgres)!.FullName);

    LoadResult result;
    switch (parse.GetValue(scenario))
    {
        case "preload":
            result = await Preload.RunAsync(scenarios.ReferralBundle(), referrals, clients, ct);
            break;
        case "preload-wor":
            result = await Preload.RunAsync(scenarios.DutchReferralBundle(), referrals, clients, ct);
            break;
        case "wor-export":
            return await WorExport(parse, data, new WorExportUpload(http, baseUri, tokens), referrals, cpu, ct);
        case "housing-case-batch":
            return await HousingCaseBatchRun(parse, new HousingCaseBatch(http, baseUri, tokens, data), referrals, cpu, ct);
        case "wor-export-file":
            var worFile = WorExportFile.Build(parse.GetValue(samples)!.FullName, data, referrals, parse.GetValue(skip), parse.GetValue(rows));
            var path = parse.GetValue(output) ?? throw new InvalidOperationException("wor-export-file needs --out, the file to write.");
            await File.WriteAllBytesAsync(path.FullName, worFile, ct);
            await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"wor-export file: {parse.GetValue(rows)} rows, {worFile.Length / 1024.0 / 1024.0:F1} MB, in {path.FullName}"));
            return 0;
        case "create":
            var patients = await scenarios.PatientsAsync(parse.GetValue(patientCount), ct);
            await Console.Error.WriteLineAsync($"{patients.Count} patients made; the run starts.");
            result = await LoadRun.RunAsync("ServiceRequest create", scenarios.ServiceRequestCreate(patients), clients, warm, window, ct, cpu);
            break;
        case "bundle":
            // Referral numbers above the preload's, so the bundles make new referrals.
            result = await LoadRun.RunAsync("referral transaction bundle", (n, token) => scenarios.ReferralBundle()(referrals + 1 + parse.GetValue(skip) + n, token), clients, warm, window, ct, cpu);
            break;
        case "search-owner":
            result = await LoadRun.RunAsync("Task?owner=…&status=requested", scenarios.SearchOwnerRequested(), clients, warm, window, ct, cpu);
            break;
        case "search-patient":
            result = await LoadRun.RunAsync("Task?patient.identifier=…", scenarios.SearchPatientIdentifier(referrals), clients, warm, window, ct, cpu);
            break;
        case "read-request" or "read-task":
            // Ids looked up before the run (by referral number), so the window measures the reads alone.
            var referralIds = await scenarios.PreloadedIdsAsync(referrals, 500, ct);
            await Console.Error.WriteLineAsync($"{referralIds.Count} preloaded referrals found; the run starts.");
            result = parse.GetValue(scenario) == "read-request"
                ? await LoadRun.RunAsync("ServiceRequest/{id}", scenarios.ReadServiceRequest(referralIds), clients, warm, window, ct, cpu)
                : await LoadRun.RunAsync("Task/{id}", scenarios.ReadTask(referralIds), clients, warm, window, ct, cpu);
            break;
        case "search-subject":
            result = await LoadRun.RunAsync("ServiceRequest?subject:Patient.identifier=…", scenarios.SearchSubjectIdentifier(referrals), clients, warm, window, ct, cpu);
            break;
        case "search-active":
            result = await LoadRun.RunAsync("ServiceRequest?status=active&_count=50", scenarios.SearchActiveRequests(), clients, warm, window, ct, cpu);
            break;
        case "feed":
            result = await LoadRun.RunAsync("GET /records/referrals (a page)", scenarios.ReferralFeedPage(), clients, warm, window, ct, cpu);
            break;
        case "feed-head":
            result = await LoadRun.RunAsync("GET /records/referrals (the head: since the newest)", await scenarios.ReferralFeedHeadAsync(ct), clients, warm, window, ct, cpu);
            break;
        case "feed-dump":
            var dump = parse.GetValue(output) ?? throw new InvalidOperationException("feed-dump needs --out, the file to write.");
            await Console.Error.WriteLineAsync($"{await scenarios.DumpFeedsAsync(dump.FullName, ct)} pages written to {dump.FullName}");
            return 0;
        case "patient-create":
            result = await LoadRun.RunAsync("Patient create", scenarios.PatientCreate(parse.GetValue(skip)), clients, warm, window, ct, cpu);
            break;
        case "housing-case":
            result = await LoadRun.RunAsync("housing-case record", scenarios.HousingCaseRecord(referrals), clients, warm, window, ct, cpu);
            break;
        case "floor":
            result = await InsertFloor.RunAsync(InsertFloor.ConnectionString(parse.GetValue(postgres)!.FullName), data, clients, warm, window, ct, cpu);
            break;
        default:
            await Console.Error.WriteLineAsync($"Unknown scenario '{parse.GetValue(scenario)}'.");
            return 2;
    }

    Console.WriteLine("| scenario | clients | window s | ok | failed | per second | p50 ms | p95 ms | p99 ms | gateway CPU ms/op | PostgreSQL CPU ms/op | gateway RSS MB |");
    Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {result.Scenario} | {result.Concurrency} | {result.Window.TotalSeconds:F0} | {result.Succeeded} | {result.Failed} | {result.PerSecond:F0} | {result.P50:F1} | {result.P95:F1} | {result.P99:F1} | {result.GatewayCpuMs:F2} | {result.PostgresCpuMs:F2} | {ResidentMemory.Describe(parse.GetValue(pid))} |"));
    return result.Failed == 0 ? 0 : 1;
});
return await root.Parse(args).InvokeAsync();

async Task<int> WorExport(ParseResult parse, ReferralData data, WorExportUpload upload, long preloaded, ProcessCpu cpu, CancellationToken ct)
{
    var rowCount = parse.GetValue(rows);
    var file = WorExportFile.Build(parse.GetValue(samples)!.FullName, data, preloaded, parse.GetValue(skip), rowCount);
    await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"wor-export file: {rowCount} rows, {file.Length / 1024.0 / 1024.0:F1} MB"));
    var r = await upload.RunAsync(file, rowCount, cpu, ct);
    r.Print("row", ResidentMemory.Describe(parse.GetValue(pid)));
    return r.EveryOneTaken ? 0 : 1;
}

async Task<int> HousingCaseBatchRun(ParseResult parse, HousingCaseBatch batch, long preloaded, ProcessCpu cpu, CancellationToken ct)
{
    var records = (int)parse.GetValue(rows);
    var body = batch.Build(records, preloaded, parse.GetValue(skip));
    await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"housing-case batch: {records} records, {body.Length / 1024.0 / 1024.0:F1} MB"));
    var r = await batch.RunAsync(body, records, cpu, ct);
    r.Print("record", ResidentMemory.Describe(parse.GetValue(pid)));
    return r.EveryOneTaken ? 0 : 1;
}
