namespace IntegrationHub.Protocol;

/// <summary>NHS number check: 10 digits, the last a modulus-11 check digit (weights 10..2 on the first nine).</summary>
public static class NhsNumber
{
    public static bool IsValid(string? value)
    {
        if (value is null) return false;
        Span<int> digits = stackalloc int[10];
        var n = 0;
        foreach (var ch in value)
        {
            if (ch is ' ' or '-') continue;
            if (ch is < '0' or > '9' || n == 10) return false;
            digits[n++] = ch - '0';
        }
        if (n != 10) return false;
        var sum = 0;
        for (var i = 0; i < 9; i++) sum += digits[i] * (10 - i);
        var check = 11 - (sum % 11);
        if (check == 11) check = 0;
        return check != 10 && check == digits[9];
    }
}
