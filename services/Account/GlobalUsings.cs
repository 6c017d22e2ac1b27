global using AuthPlatform.Account.Apis;
global using AuthPlatform.Account.Clients;
global using AuthPlatform.Account.Extensions;
global using AuthPlatform.Contracts.Api;
