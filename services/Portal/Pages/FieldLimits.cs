namespace AuthPlatform.Portal.Pages;

/// <summary>The longest values the portal's forms pass on; longer ones get a message on the page, not a call.</summary>
public static class FieldLimits
{
    /// <summary>RFC 5321's longest path; the API decides what is valid.</summary>
    public const int Email = 320;

    /// <summary>Well above the policy's maximum (counted after normalisation by the API), far below the form limit.</summary>
    public const int Password = 1024;
}
