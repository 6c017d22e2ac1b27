global using AuthPlatform.Portal.Clients;
global using AuthPlatform.Portal.Hosting;
global using AuthPlatform.Portal.Sessions;
global using AuthPlatform.Contracts.Api;
global using AuthPlatform.Contracts;
