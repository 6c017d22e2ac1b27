global using AuthPlatform.Contracts;
global using AuthPlatform.Contracts.Api;
global using AuthPlatform.Portal.Clients;
global using AuthPlatform.Portal.Hosting;
global using AuthPlatform.Portal.Sessions;
