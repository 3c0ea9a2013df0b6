using Dm.Contracts;
using Dm.Core.CommandLine;
using Dm.Worker.Hosting;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Dm.Worker.Control;

/// <summary>
/// The cluster's join secret as this worker was given it (<c>--join-secret-file</c>, read again before each registration so
/// that a worker may start before the master wrote the file, or <c>--join-secret</c>). Its calls to the masters carry it,
/// and its query service serves only calls that carry it (<see cref="Interceptor"/>).
/// </summary>
public sealed class JoinSecretSource
{
    private readonly WorkerOptions _options;
    private volatile string? _secret;

    /// <exception cref="ProcessConfigException">neither key is given, or both are.</exception>
    public JoinSecretSource(WorkerOptions options)
    {
        if (options.JoinSecret == null && options.JoinSecretFile == null)
            throw new ProcessConfigException(
                $"join-secret-file is required: the masters serve only workers that carry the cluster's join secret, which a master writes to <data-dir>/{WorkerChannelAuth.SecretFileName} (or give it with join-secret)");
        if (options.JoinSecret != null && options.JoinSecretFile != null)
            throw new ProcessConfigException("join-secret and join-secret-file are both given: give one");
        _options = options;
        _secret = options.JoinSecret;
    }

    /// <summary>The secret, read from its file now when it comes from one.</summary>
    /// <exception cref="IOException">the file cannot be read (yet).</exception>
    public string Read()
    {
        if (_options.JoinSecretFile is not { } path) return _secret!;
        try
        {
            return _secret = WorkerChannelAuth.ReadSecretFile(path);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or InvalidDataException)
        {
            throw new IOException($"cannot read join-secret-file {path}: {e.Message}", e);
        }
        catch (IOException e)
        {
            throw new IOException($"cannot read join-secret-file {path}: {e.Message}", e);
        }
    }

    /// <summary>The secret last read (null before the first successful read of its file).</summary>
    public string? Known
    {
        get
        {
            if (_secret == null && _options.JoinSecretFile != null)
            {
                try { Read(); } catch (IOException) { }
            }
            return _secret;
        }
    }

    /// <summary>Refuses every call of the worker's gRPC services that does not carry the secret.</summary>
    public sealed class Interceptor(JoinSecretSource secret) : Grpc.Core.Interceptors.Interceptor
    {
        public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context,
            UnaryServerMethod<TRequest, TResponse> continuation)
        {
            Check(context);
            return continuation(request, context);
        }

        public override Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream,
            ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
        {
            Check(context);
            return continuation(request, responseStream, context);
        }

        public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream,
            ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
        {
            Check(context);
            return continuation(requestStream, context);
        }

        public override Task DuplexStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream,
            IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
        {
            Check(context);
            return continuation(requestStream, responseStream, context);
        }

        private void Check(ServerCallContext context)
        {
            if (secret.Known is not { } known || !WorkerChannelAuth.Same(context.RequestHeaders.GetValue(WorkerChannelAuth.SecretHeader), known))
                throw WorkerChannelAuth.NotAuthenticated(context.Method);
        }
    }
}
