namespace AuthPlatform.Portal.Pages;

/// <summary>
/// One labelled input, rendered by Shared/_Field: its hint and its error are tied to it (aria-describedby), the
/// error marks it invalid, and autocomplete/inputmode tell browsers and password managers what it is.
/// </summary>
public sealed record FormField(string Name, string Label, string Type = "text", string? Autocomplete = null, string? Value = null,
    string? Error = null, string? Hint = null, string? InputMode = null, bool Required = true, bool Autofocus = false, int? MaxLength = null,
    string? Pattern = null)
{
    public string Id => Name.ToLowerInvariant();

    public string HintId => Id + "-hint";

    public string ErrorId => Id + "-error";

    public string? DescribedBy =>
        string.Join(' ', new[] { Hint is null ? null : HintId, Error is null ? null : ErrorId }.Where(id => id is not null)) is { Length: > 0 } ids ? ids : null;
}
