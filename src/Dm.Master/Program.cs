var builder = WebApplication.CreateSlimBuilder(args);
var app = builder.Build();
app.MapGet("/status", () => "DM# master");
app.Run();
