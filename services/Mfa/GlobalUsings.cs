global using AuthPlatform.Mfa.Extensions;
global using AuthPlatform.Mfa.Apis;
