using System.CommandLine;
using System.Globalization;
using Gateway.LoadDriver;

// The load driver of issue 9: see docs/performance.md for the commands and the figures.
var gateway = new Option<Uri>("--gateway") { Description = "The gateway's root URL", DefaultValueFactory = _ => new Uri("http://127.0.0.1:8080/"), CustomParser = r => new Uri(r.Tokens.Single().Value) };
var keys = new Option<FileInfo>("--keys") { Description = "Private JWKS by client id", DefaultValueFactory = _ => new FileInfo("src/Gateway.Api/Demo/demo-client-keys.private.json") };
var samples = new Option<DirectoryInfo>("--samples") { Description = "The shared samples folder", DefaultValueFactory = _ => new DirectoryInfo("../shared/samples") };
var scenario = new Option<string>("--scenario") { Description = "preload | create | bundle | search-owner | search-patient | housing-case | floor", Required = true };
var concurrency = new Option<int>("--concurrency") { Description = "Concurrent clients", DefaultValueFactory = _ => 32 };
var warmup = new Option<int>("--warmup") { Description = "Seconds of warm-up, not counted", DefaultValueFactory = _ => 5 };
var seconds = new Option<int>("--seconds") { Description = "Seconds measured", DefaultValueFactory = _ => 20 };
var run = new Option<string>("--run") { Description = "The run id the preload used (its patients' NHS numbers derive from it)", DefaultValueFactory = _ => "r1" };
var count = new Option<long>("--count") { Description = "preload: referrals to make; search-patient, housing-case: referrals the preload made", DefaultValueFactory = _ => 100_000 };
var postgres = new Option<DirectoryInfo>("--postgres-folder") { Description = "floor: the sandbox's embedded cluster folder", DefaultValueFactory = _ => new DirectoryInfo("src/Gateway.Api/.gateway/postgres") };
var pid = new Option<int?>("--gateway-pid") { Description = "The gateway's process id, to report its resident memory" };

var root = new RootCommand("Drives a running Interop Gateway over HTTP and reports throughput and latency percentiles")
{
    gateway, keys, samples, scenario, concurrency, warmup, seconds, run, count, postgres, pid,
};
root.SetAction(async (parse, ct) =>
{
    using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1024, PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = TimeSpan.FromSeconds(60) };
    var data = new ReferralData(parse.GetValue(samples)!.FullName, parse.GetValue(run)!);
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
        case "create":
            var patients = await scenarios.PatientsAsync(5_000, ct);
            await Console.Error.WriteLineAsync($"{patients.Count} patients made; the run starts.");
            result = await LoadRun.RunAsync("ServiceRequest create", scenarios.ServiceRequestCreate(patients), clients, warm, window, ct, cpu);
            break;
        case "bundle":
            // Referral numbers above the preload's, so the bundles make new referrals.
            result = await LoadRun.RunAsync("referral transaction bundle", (n, token) => scenarios.ReferralBundle()(referrals + 1 + n, token), clients, warm, window, ct, cpu);
            break;
        case "search-owner":
            result = await LoadRun.RunAsync("Task?owner=…&status=requested", scenarios.SearchOwnerRequested(), clients, warm, window, ct, cpu);
            break;
        case "search-patient":
            result = await LoadRun.RunAsync("Task?patient.identifier=…", scenarios.SearchPatientIdentifier(referrals), clients, warm, window, ct, cpu);
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
