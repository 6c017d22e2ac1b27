var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.UseServiceDefaults();
app.UseAuthentication();
app.UseAuthorization();

app.MapDefaultEndpoints();
app.MapOpenApi();
app.MapWellKnownApi();
app.MapAccountApi();
app.MapSessionApi();
app.MapResetPasswordPage();
app.MapAccessKeyApi();
app.MapTokenEndpoint();

app.Run();
