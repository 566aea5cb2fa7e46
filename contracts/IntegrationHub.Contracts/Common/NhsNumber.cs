namespace IntegrationHub.Contracts.Common;

/// <summary>The NHS number: ten digits, the last a modulus-11 check digit (DOMAIN.md, identifiers).</summary>
public static class NhsNumber
{
    /// <summary>FHIR identifier system for the NHS number.</summary>
    public const string System = "https://fhir.nhs.uk/Id/nhs-number";

    /// <summary>Removes the spaces and dashes people type (<c>943 476 5919</c>, <c>943-476-5919</c>); null stays null.</summary>
    public static string? Normalise(string? value) =>
        value is null ? null : string.Concat(value.Where(c => c != ' ' && c != '-' && !char.IsWhiteSpace(c)));

    /// <summary>True when <paramref name="value"/>, once normalised, is ten digits whose check digit is right.</summary>
    public static bool IsValid(string? value)
    {
        var digits = Normalise(value);
        if (digits is null || digits.Length != 10 || !digits.All(char.IsAsciiDigit))
        {
            return false;
        }

        var sum = 0;
        for (var i = 0; i < 9; i++)
        {
            sum += (digits[i] - '0') * (10 - i);
        }

        var check = 11 - (sum % 11);
        if (check == 11)
        {
            check = 0;
        }

        // A remainder giving 10 means no number with these nine digits was ever issued.
        return check != 10 && check == digits[9] - '0';
    }
}
