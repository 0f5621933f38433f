using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;

namespace Gateway.Api.Access;

/// <summary>
/// Kestrel refuses a path that decodes to a NUL (<c>%00</c>) before the application runs, with an
/// empty 400 and no hook to give it a body (Http1Connection: "The path contains null characters").
/// So, as the bytes of an HTTP/1.x connection arrive, this turns <c>%00</c> in the path of a
/// request line into <c>%01</c> (in place, same length), and <see cref="ControlCharacterPaths"/>
/// answers that request with a 400 OperationOutcome. Query strings are left alone: the search
/// parsers refuse <c>%00</c> there, naming the parameter. TLS and HTTP/2 bytes pass untouched.
/// </summary>
/// <remarks>
/// REVIEW: the scan does not follow HTTP framing, so a body line that itself reads like
/// "GET /x%00" would be changed too; a real body is never that. Under HTTPS terminated by Kestrel
/// this sees ciphertext and does nothing (a proxy in front refuses such paths itself).
/// </remarks>
public static class NulInRequestLine
{
    public static ConnectionDelegate Middleware(ConnectionDelegate next) => async context =>
    {
        var original = context.Transport;
        var pipe = new Pipe();
        var pump = PumpAsync(original.Input, pipe.Writer);
        context.Transport = new DuplexPipe(pipe.Reader, original.Output);
        try
        {
            await next(context);
        }
        finally
        {
            context.Transport = original;
            original.Input.CancelPendingRead();
            await pump;
            await pipe.Reader.CompleteAsync();
        }
    };

    private static async Task PumpAsync(PipeReader input, PipeWriter output)
    {
        var scanner = new Scanner();
        try
        {
            while (true)
            {
                var result = await input.ReadAsync();
                if (result.IsCanceled)
                {
                    break;
                }

                foreach (var segment in result.Buffer)
                {
                    var span = output.GetSpan(segment.Length)[..segment.Length];
                    segment.Span.CopyTo(span);
                    scanner.Rewrite(span);
                    output.Advance(segment.Length);
                }

                input.AdvanceTo(result.Buffer.End);
                var flushed = await output.FlushAsync();
                if (result.IsCompleted || flushed.IsCompleted)
                {
                    break;
                }
            }
        }
        catch (Exception failure) when (failure is IOException or ConnectionResetException or ConnectionAbortedException or InvalidOperationException)
        {
            await output.CompleteAsync(failure);
            return;
        }

        await output.CompleteAsync();
    }

    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }

    /// <summary>Where in a line the bytes are: a request line is METHOD SP /path[?query] SP HTTP/1.x.</summary>
    internal sealed class Scanner
    {
        private enum State { LineStart, Method, AfterMethod, Path, Rest, PassThrough }

        private State _state = State.LineStart;
        private bool _first = true;
        private int _methodLength;
        private uint _method;
        private int _percent;

        public void Rewrite(Span<byte> bytes)
        {
            for (var i = 0; i < bytes.Length && _state != State.PassThrough; i++)
            {
                var b = bytes[i];
                if (_first)
                {
                    _first = false;
                    // A TLS handshake record: nothing here is readable.
                    if (b == 0x16)
                    {
                        _state = State.PassThrough;
                        return;
                    }
                }

                if (b == '\n')
                {
                    _state = State.LineStart;
                    continue;
                }

                switch (_state)
                {
                    case State.LineStart when b is >= (byte)'A' and <= (byte)'Z':
                        (_state, _methodLength, _method) = (State.Method, 1, b);
                        break;
                    case State.Method when b is >= (byte)'A' and <= (byte)'Z' && _methodLength < 10:
                        (_methodLength, _method) = (_methodLength + 1, (_method << 8) | b);
                        break;
                    case State.Method when b == ' ':
                        // "PRI * HTTP/2.0": the HTTP/2 preface; binary frames follow.
                        _state = _methodLength == 3 && _method == ('P' << 16 | 'R' << 8 | 'I') ? State.PassThrough : State.AfterMethod;
                        break;
                    case State.AfterMethod when b == '/':
                        (_state, _percent) = (State.Path, 0);
                        break;
                    case State.Path when b is (byte)' ' or (byte)'?' or (byte)'#' or (byte)'\r':
                        _state = State.Rest;
                        break;
                    case State.Path:
                        if (b == '0' && _percent == 2)
                        {
                            bytes[i] = (byte)'1';
                            _percent = 0;
                        }
                        else
                        {
                            _percent = b == '%' ? 1 : b == '0' && _percent == 1 ? 2 : 0;
                        }

                        break;
                    case State.LineStart or State.Method or State.AfterMethod:
                        _state = State.Rest;
                        break;
                }
            }
        }
    }
}
