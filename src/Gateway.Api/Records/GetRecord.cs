using Gateway.Api.Smart;
using Gateway.Fhir.Errors;
using Gateway.Fhir.Records;

namespace Gateway.Api.Records;

/// <summary><c>GET /records/{id}</c>: a received record as kept, its state, reasons and what it produced; only the sending partner's (404 otherwise).</summary>
public static class GetRecord
{
    public static async Task<IResult> Handle(string id, HttpContext context, RecordLog log, CancellationToken ct) =>
        Results.Json(RecordJson.Record(await FindAsync(id, context, log, ct)), RecordJson.Options);

    public static async Task<ReceivedRecord> FindAsync(string id, HttpContext context, RecordLog log, CancellationToken ct) =>
        await log.GetAsync(id, ct) is { } record && record.PartnerId == context.RequiredCaller().PartnerId
            ? record
            : throw new ResourceNotFoundException($"No record {id} was received from {context.RequiredCaller().PartnerId}.");
}
