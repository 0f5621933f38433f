using Npgsql;

namespace Gateway.Fhir.Export;

/// <summary>
/// Writes an export's NDJSON files into <c>export_file_chunk</c> as they are produced, a chunk at
/// a time, so neither a file nor an export is ever held whole in memory. A chunk that finds its
/// export gone (the client cancelled it) stops the run with <see cref="ExportCancelledException"/>.
/// </summary>
public sealed class ExportFileWriter(NpgsqlConnection connection, Guid exportId, int chunkBytes, int resourcesPerFile) : IDisposable
{
    private readonly MemoryStream _buffer = new();
    private int _fileNumber;
    private string? _type;
    private int _count;
    private int _chunk;

    /// <summary>Appends one resource (its JSON, one line) to the current file of its type, starting a new file when needed.</summary>
    public async Task WriteAsync(string resourceType, byte[] json, CancellationToken ct)
    {
        if (_type != resourceType || _count == resourcesPerFile)
        {
            await FinishFileAsync(ct);
            await StartFileAsync(resourceType, ct);
        }

        _buffer.Write(json);
        _buffer.WriteByte((byte)'\n');
        _count++;
        if (_buffer.Length >= chunkBytes)
        {
            await FlushAsync(ct);
        }
    }

    /// <summary>Ends the file being written, if any.</summary>
    public async Task FinishFileAsync(CancellationToken ct)
    {
        if (_type is null)
        {
            return;
        }

        await FlushAsync(ct);
        await Execute("update export_file set resource_count = $3 where export_id = $1 and file_number = $2", ct, exportId, _fileNumber, _count);
        _type = null;
    }

    private async Task StartFileAsync(string resourceType, CancellationToken ct)
    {
        _fileNumber++;
        _type = resourceType;
        _count = 0;
        _chunk = 0;
        await Execute("insert into export_file (export_id, file_number, resource_type, resource_count) values ($1, $2, $3, 0)", ct, exportId, _fileNumber, resourceType);
    }

    private async Task FlushAsync(CancellationToken ct)
    {
        if (_buffer.Length == 0)
        {
            return;
        }

        _chunk++;
        await Execute("insert into export_file_chunk (export_id, file_number, chunk, data) values ($1, $2, $3, $4)", ct, exportId, _fileNumber, _chunk, _buffer.ToArray());
        _buffer.SetLength(0);
    }

    public void Dispose() => _buffer.Dispose();

    private async Task Execute(string sql, CancellationToken ct, params object[] values)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var value in values)
        {
            command.Parameters.Add(new() { Value = value });
        }

        try
        {
            await command.ExecuteNonQueryAsync(ct);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.ForeignKeyViolation)
        {
            throw new ExportCancelledException(exportId);
        }
    }
}

/// <summary>The export was deleted (cancelled by its client) while its job ran.</summary>
public sealed class ExportCancelledException(Guid exportId) : Exception($"Export {exportId} was cancelled while it ran.");
