var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddWebConventions();
builder.AddApplicationServices();

var app = builder.Build();

app.UseWebConventions();
app.UseAuthentication();
app.UseAuthorization();

app.MapDefaultEndpoints();
app.MapOpenApi();
app.MapMfaApi();
app.MapPasskeyApi();
app.MapInternalMfaApi();

app.Run();
