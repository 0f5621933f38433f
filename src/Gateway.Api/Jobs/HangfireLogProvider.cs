using Hangfire.AspNetCore;
using Hangfire.Logging;

namespace Gateway.Api.Jobs;

/// <summary>
/// Hangfire's log provider is process-wide (LibLog's static LogProvider), yet it writes to one
/// host's ILoggerFactory. Where several hosts share a process (the test suite starts a gateway per
/// test class), a host that has stopped leaves Hangfire with a disposed factory, and every log call
/// of the other hosts' Hangfire would throw. This drops those messages instead.
/// </summary>
internal sealed class HangfireLogProvider(ILoggerFactory loggerFactory) : ILogProvider
{
    private readonly AspNetCoreLogProvider _inner = new(loggerFactory);

    public ILog GetLogger(string name) => new TolerantLog(_inner, name);

    private sealed class TolerantLog(AspNetCoreLogProvider provider, string name) : ILog
    {
        private ILog? _log;

        public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null)
        {
            try
            {
                _log ??= provider.GetLogger(name);
                return _log.Log(logLevel, messageFunc, exception);
            }
            catch (ObjectDisposedException)
            {
                return false;
            }
        }
    }
}
