using IntegrationHub.Protocol.Language;

namespace IntegrationHub.Protocol.Tests;

public class LanguageCheckTests
{
    [Theory]
    [InlineData("She is involved in child prostitution.", "child-prostitution", "8.d")]
    [InlineData("We think she is prostituting herself.", "child-prostitution", "8.b")]
    [InlineData("She is a streetwise young woman.", "streetwise", "8.d")]
    [InlineData("He is very Street Wise.", "streetwise", "8.d")]
    [InlineData("She is street-wise.", "streetwise", "8.d")]
    [InlineData("She chose to go with them.", "choosing-to", "8.d")]
    [InlineData("He is choosing to stay out.", "choosing-to", "8.d")]
    [InlineData("She chooses to associate with older friends.", "choosing-to", "8.b")]
    [InlineData("She CHOOSES TO go.", "choosing-to", "8.d")]
    [InlineData("It was consensual sex.", "consensual-sex", "8.d")]
    [InlineData("She consented to have sex.", "consensual-sex", "8.d")]
    [InlineData("Sally is promiscuous.", "promiscuous", "8.b")]
    [InlineData("A persistent absconder.", "absconder", "8.b")]
    [InlineData("He has been absconding from the home.", "absconder", "8.d")]
    [InlineData("She keeps putting herself at risk.", "putting-themselves-at-risk", "8")]
    [InlineData("They put themselves at risk.", "putting-themselves-at-risk", "8")]
    public void Finds_phrases_that_blame_or_minimise(string text, string term, string section)
    {
        var finding = Assert.Single(LanguageCheck.Find(text, LanguageContext.None));
        Assert.Equal(term, finding.Term);
        Assert.Equal(finding.Phrase, text.Substring(finding.Index, finding.Phrase.Length));
        Assert.False(string.IsNullOrWhiteSpace(finding.BetterWording));
        _ = section;
    }

    [Theory]
    [InlineData("She has a street map.", "8")]
    [InlineData("She chose not to attend.", "8")]            // "chose not to" is not "chose to"
    [InlineData("She chose to tell her teacher.", "8")]      // disclosing is a choice we want
    [InlineData("Consent was not sought.", "8")]
    [InlineData("The streetwiser ran off.", "8")]             // whole words only
    [InlineData("", "8")]
    public void Leaves_plain_language_alone(string text, string section)
    {
        Assert.Empty(LanguageCheck.Find(text, LanguageContext.None));
        _ = section;
    }

    [Theory]
    [InlineData(14, 24, true, "8.d")]   // an adult
    [InlineData(15, 18, true, "8.d")]   // 18: adult
    [InlineData(13, 17, true, "8.d")]   // gap 4: much older
    [InlineData(14, 17, false, "8.d")]  // gap 3, a child
    [InlineData(15, 16, false, "9.7")]  // peers
    [InlineData(14, null, false, "8.d")] // unknown
    public void Boyfriend_is_flagged_only_for_an_adult_or_much_older_person(int child, int? other, bool flagged, string section)
    {
        var findings = LanguageCheck.Find("She says her boyfriend picks her up. Her girlfriends know him.", new LanguageContext(child, other));
        Assert.Equal(flagged ? 2 : 0, findings.Count(f => f.Term == "boyfriend"));
        _ = section;
    }

    [Fact]
    public void Finds_every_phrase_of_the_handbooks_first_sally_recording_in_order()
    {
        const string sally = "She is a streetwise young woman who from day one has been a persistent absconder. She chooses to associate with older friends. Sally is known to be sexually active and is promiscuous. We think she is prostituting herself.";
        Assert.Equal(["streetwise", "absconder", "choosing-to", "promiscuous", "child-prostitution"],
            LanguageCheck.Find(sally, LanguageContext.None).Select(f => f.Term));
    }

    [Fact]
    public void Finds_nothing_in_the_handbooks_second_sally_recording()
    {
        const string sally = "From day one we have been concerned about her going missing and she is thought to be a very vulnerable child. Sally is known to be spending time with older men in the town centre. Staff are working hard to engage Sally but at the moment she cannot accept our help and support.";
        Assert.Empty(LanguageCheck.Find(sally, LanguageContext.None));
    }
}
