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
app.MapWellKnownApi();
app.MapAccountApi();
app.MapSessionApi();
app.MapAccessKeyApi();
app.MapTokenEndpoint();

app.Run();
