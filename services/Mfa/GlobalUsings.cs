global using AuthPlatform.Mfa.Extensions;
