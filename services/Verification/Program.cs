var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddWebConventions();
builder.AddApplicationServices();

var app = builder.Build();

app.UseWebConventions();

app.MapDefaultEndpoints();
app.MapOpenApi();
app.MapVerificationApi();
app.MapSmsCodeApi();

app.Run();
