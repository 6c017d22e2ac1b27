global using AuthPlatform.Verification.Extensions;
