global using AuthPlatform.Account.Extensions;
