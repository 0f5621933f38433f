using Gateway.Fhir.Partners;
using Gateway.Testing;

namespace Gateway.Api.Tests.Guides;

/// <summary>
/// The operators' guide's partners files: each ```json partners-file block loads with the real
/// loader, and each ```json partners-file-invalid block is refused with every line of the
/// ```text partners-file-error block after it in the message.
/// </summary>
public sealed class PartnersFileSnippetTests
{
    private const string GuideFile = "docs/guide-operators.md";

    [Fact]
    public void Every_partners_file_of_the_operators_guide_loads_or_is_refused_as_the_guide_says()
    {
        var blocks = GuideMarkdown.Blocks(File.ReadAllText(Repository.File(GuideFile)));
        var valid = blocks.Where(b => b.Info == "json partners-file").ToList();
        var invalid = blocks.Select((b, i) => (Block: b, Index: i)).Where(x => x.Block.Info == "json partners-file-invalid").ToList();
        Assert.NotEmpty(valid);
        Assert.NotEmpty(invalid);

        foreach (var block in valid)
        {
            try
            {
                Load(block);
            }
            catch (PartnersFileException e)
            {
                Assert.Fail($"{GuideFile}:{block.Line}: this partners file should load, but: {e.Message}");
            }
        }

        foreach (var (block, index) in invalid)
        {
            var error = index + 1 < blocks.Count && blocks[index + 1].Info == "text partners-file-error"
                ? blocks[index + 1]
                : throw new Xunit.Sdk.XunitException($"{GuideFile}:{block.Line}: an invalid partners file needs a ```text partners-file-error block right after it.");
            var refusal = Assert.Throws<PartnersFileException>(() => Load(block));
            foreach (var line in error.Lines.Where(l => l.Trim().Length > 0))
            {
                Assert.True(refusal.Message.Contains(line.Trim(), StringComparison.Ordinal),
                    $"{GuideFile}:{error.Line}: the loader's message does not contain '{line.Trim()}':\n{refusal.Message}");
            }
        }
    }

    private static void Load(GuideBlock block)
    {
        var path = Path.Combine(Path.GetTempPath(), $"guide-partners-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, string.Join('\n', block.Lines));
        try
        {
            PartnersFileLoader.Load(path);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
