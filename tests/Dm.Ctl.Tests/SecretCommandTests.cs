using System.Security.Cryptography;
using Dm.TestKit;

namespace Dm.Ctl.Tests;

/// <summary>
/// encrypt / decrypt against a real master started with a secret key: the cipher text dmctl prints is accepted
/// as a password in source.yaml (the master connects to the upstream with it) and in task.yaml.
/// </summary>
[Collection(CtlCollection.Name)]
public sealed class SecretCommandTests(CtlEnvironment env)
{
    [Fact]
    public async Task EncryptedPasswordsWorkInSourceAndTaskFiles()
    {
        var keyFile = env.WriteFile("secret/key.hex", Convert.ToHexString(RandomNumberGenerator.GetBytes(32)));
        await using var master = await DmMasterProcess.StartAsync("master-key", ["--secret-key-path", keyFile]);
        var addr = $"127.0.0.1:{master.Port}";
        Task<DmctlRun> Dmctl(params string[] args) => DmctlProcess.RunAsync(["--master-addr", addr, .. args]);

        await env.Upstream1.ExecuteAsync("""
            CREATE USER IF NOT EXISTS 'ctl_secret'@'%' IDENTIFIED BY 'S3cret pass!';
            GRANT ALL PRIVILEGES ON *.* TO 'ctl_secret'@'%';
            """);

        // encrypt prints the cipher text alone, as DM's does; each call gives a fresh one.
        var encrypted = await Dmctl("encrypt", "S3cret pass!");
        Assert.True(encrypted.ExitCode == 0, encrypted.ToString());
        var cipher = encrypted.Stdout.Trim();
        Assert.StartsWith("enc1:", cipher);
        Assert.DoesNotContain("S3cret", cipher);
        Assert.NotEqual(cipher, (await Dmctl("encrypt", "S3cret pass!")).Stdout.Trim());
        var decrypted = await Dmctl("decrypt", "--join-secret-file", master.JoinSecretPath, cipher);
        Assert.Equal("S3cret pass!", decrypted.Stdout.TrimEnd('\n'));

        // decrypt is a decryption oracle: without the join secret (or with a wrong one) it is refused, 401 in DM's shape.
        var anonymous = await Dmctl("decrypt", cipher);
        Assert.Equal(1, anonymous.ExitCode);
        Assert.Contains("--join-secret-file", anonymous.ToString());
        Assert.DoesNotContain("S3cret", anonymous.ToString());
        var wrongSecret = env.WriteFile("secret/wrong-secret", "0123456789abcdef");
        var wrongAnswer = await Dmctl("decrypt", "--join-secret-file", wrongSecret, cipher);
        Assert.Equal(1, wrongAnswer.ExitCode);
        Assert.DoesNotContain("S3cret", wrongAnswer.ToString());
        using (var http = new HttpClient())
        {
            var answer = await http.PostAsync($"http://{addr}/api/v1/decrypt",
                new StringContent("{\"ciphertext\":\"" + cipher + "\"}", System.Text.Encoding.UTF8, "application/json"));
            Assert.Equal(401, (int)answer.StatusCode);
            var body = System.Text.Json.Nodes.JsonNode.Parse(await answer.Content.ReadAsStringAsync())!;
            Assert.Equal(49001, body["error_code"]!.GetValue<int>());
            Assert.Contains("authenticated", body["error_msg"]!.GetValue<string>());
        }

        // A source.yaml carrying the cipher text: creating the source connects to the upstream with the real password.
        var source = SampleConfigs.Source("sec-src", env.Upstream1)
            .Replace($"user: \"{env.Upstream1.User}\"", "user: \"ctl_secret\"")
            .Replace($"password: \"{env.Upstream1.Password}\"", $"password: \"{cipher}\"");
        var sourceFile = env.WriteFile("secret/source.yaml", source);
        (await Dmctl("operate-source", "create", sourceFile)).Ok();
        Assert.DoesNotContain(cipher, (await Dmctl("config", "source", "sec-src")).Ok()["cfg"]!.GetValue<string>());

        // The same password in clear is refused by the upstream (the cipher text is not sent as a password)...
        var wrong = SampleConfigs.Source("sec-wrong", env.Upstream1)
            .Replace($"user: \"{env.Upstream1.User}\"", "user: \"ctl_secret\"")
            .Replace($"password: \"{env.Upstream1.Password}\"", "password: \"not-it\"");
        Assert.Equal(1, (await Dmctl("operate-source", "create", env.WriteFile("secret/wrong.yaml", wrong))).ExitCode);

        // ...and a task.yaml whose target password is encrypted passes the pre-check against the real target.
        var targetCipher = (await Dmctl("encrypt", env.Target.Password)).Stdout.Trim();
        var task = SampleConfigs.Task("sectask", (env.Target.Host, env.Target.Port, env.Target.User, targetCipher), "full", "sec-src");
        var taskFile = env.WriteFile("secret/task.yaml", task);
        Assert.Equal("pre-check is passed. ", (await Dmctl("check-task", taskFile)).Ok()["msg"]!.GetValue<string>());
        (await Dmctl("start-task", taskFile)).Ok();
        (await Dmctl("stop-task", "sectask")).Ok();

        // Cipher texts this master's key did not make, or altered ones, are refused with DM's codes.
        var tampered = cipher[..^4] + (cipher[^4] == 'A' ? "B" : "A") + cipher[^3..];
        Assert.Contains("secret key", (await Dmctl("decrypt", "--join-secret-file", master.JoinSecretPath, tampered)).Failed(11048));
        Assert.Contains("enc1:", (await Dmctl("decrypt", "--join-secret-file", master.JoinSecretPath, "plain-text")).Failed(11048));
        Assert.Equal(1, (await Dmctl("decrypt", "--join-secret-file", master.JoinSecretPath, "enc1:%%%")).ExitCode);
        (await Dmctl("operate-source", "stop", "sec-src")).Ok();
    }

    [Fact]
    public async Task MasterWithoutSecretKeyRefusesToEncrypt()
    {
        var msg = (await env.Dmctl("encrypt", "secret")).Failed(20067);
        Assert.Contains("--secret-key-path", msg);
        Assert.Contains("--secret-key-path", (await env.Dmctl("decrypt", "--join-secret-file", env.Master.JoinSecretPath, "enc1:AAAA")).Failed(20067));
        Assert.Contains("exactly one argument", (await env.Dmctl("encrypt")).Failed(49001));
    }
}
