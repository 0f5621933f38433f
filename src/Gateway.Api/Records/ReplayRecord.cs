using Gateway.Api.Smart;
using Gateway.Fhir.Records;

namespace Gateway.Api.Records;

/// <summary><c>POST /records/{id}/replay</c>: processes a kept record again; one already applied answers "unchanged".</summary>
public static class ReplayRecord
{
    public static async Task<IResult> Handle(string id, HttpContext context, RecordLog log, RecordProcessor processor, CancellationToken ct)
    {
        var record = await GetRecord.FindAsync(id, context, log, ct);
        return PostRecord.Answer(await processor.ReplayAsync(context.RequiredCaller(), record, ct));
    }
}
