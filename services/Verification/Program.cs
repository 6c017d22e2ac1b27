var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.UseServiceDefaults();

app.MapDefaultEndpoints();
app.MapOpenApi();
app.MapVerificationApi();
app.MapVerifyEmailPage();
app.MapSmsCodeApi();

app.Run();
