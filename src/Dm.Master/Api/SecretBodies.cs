namespace Dm.Master.Api;

// Bodies of DM#'s `POST /api/v1/encrypt` and `POST /api/v1/decrypt`.

public sealed record EncryptRequest
{
    public required string Plaintext { get; init; }
}

public sealed record EncryptResponse
{
    public required string Ciphertext { get; init; }
}

public sealed record DecryptRequest
{
    public required string Ciphertext { get; init; }
}

public sealed record DecryptResponse
{
    public required string Plaintext { get; init; }
}
