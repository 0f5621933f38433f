using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Gateway.Testing;

/// <summary>
/// A TCP relay on loopback in front of a server (PostgreSQL) that a test can <see cref="Cut"/>:
/// open connections drop and new ones are refused, as when the server goes away.
/// </summary>
public sealed class TcpRelay : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly ConcurrentBag<TcpClient> _open = [];
    private readonly CancellationTokenSource _cut = new();
    private readonly string _host;
    private readonly int _port;

    public TcpRelay(string host, int port)
    {
        _host = host;
        _port = port;
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _ = AcceptAsync();
    }

    public int Port { get; }

    public void Cut()
    {
        if (_cut.IsCancellationRequested)
        {
            return;
        }

        _cut.Cancel();
        _listener.Stop();
        foreach (var client in _open)
        {
            client.Dispose();
        }
    }

    public void Dispose()
    {
        Cut();
        _cut.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_cut.IsCancellationRequested)
        {
            TcpClient inbound;
            try
            {
                inbound = await _listener.AcceptTcpClientAsync(_cut.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = RelayAsync(inbound);
        }
    }

    private async Task RelayAsync(TcpClient inbound)
    {
        using var outbound = new TcpClient();
        _open.Add(inbound);
        _open.Add(outbound);
        try
        {
            await outbound.ConnectAsync(_host, _port, _cut.Token);
            var a = inbound.GetStream();
            var b = outbound.GetStream();
            await Task.WhenAny(a.CopyToAsync(b, _cut.Token), b.CopyToAsync(a, _cut.Token));
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The relay was cut or a side hung up: both sides close below.
        }
        finally
        {
            inbound.Dispose();
        }
    }
}
