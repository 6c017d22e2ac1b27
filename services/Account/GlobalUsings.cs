global using AuthPlatform.Account.Extensions;
global using AuthPlatform.Account.Apis;
