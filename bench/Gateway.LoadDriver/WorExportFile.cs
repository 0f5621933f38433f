using System.Text;
using System.Text.RegularExpressions;

namespace Gateway.LoadDriver;

/// <summary>
/// A wor-export/v1 file of many valid rows, each naming its own preloaded referral of De Brug:
/// rows 1 to 4 of the shared sample (intake held with a measurement, arrangement started,
/// completed with a measurement, could not be reached) in turn, with the verwijzing id swapped.
/// Referral n of the preload is client <c>n % 4</c>, so its row's surname and birth date confirm
/// it. Copy k (1..) of referral n, made by <c>clone-referrals.sql</c>, has the verwijzing id
/// <c>WOR-run-n</c> followed by <c>c</c> and k; copy 0 is the referral itself.
/// </summary>
public static partial class WorExportFile
{
    public sealed record Person(string Family, string BirthDate, string Postcode);

    // The clients of the sample's rows 1 to 4, as in tests/Gateway.Api.Tests/Records/WorExportReferrals.cs.
    private static readonly Person[] Clients =
    [
        new("de Vries", "1948-02-14", "8261 AB"),
        new("Jansen", "1985-07-03", "8262 CD"),
        new("El Amrani", "1962-09-22", "8061 EF"),
        new("Smit", "1990-12-11", "8281 GH"),
    ];

    public static Person Client(long n) => Clients[n % 4];

    /// <summary>
    /// The file's bytes: the sample's header, then <paramref name="rows"/> rows naming referrals
    /// 1..<paramref name="preloaded"/> of copy 0, then of copy 1, and so on, starting
    /// <paramref name="skip"/> rows into that sequence.
    /// </summary>
    public static byte[] Build(string samplesFolder, ReferralData data, long preloaded, long skip, long rows)
    {
        var sample = File.ReadAllText(Path.Combine(samplesFolder, "wor-export", "2026-10-31-wor-kampen.csv"));
        // Records start at a line beginning with a verwijzing id; row 2's quoted feedback spans two lines.
        var parts = RecordStart().Split(sample);
        var header = parts[0];
        var templates = parts.Skip(1).Take(4).Select(r => r[r.IndexOf(';', StringComparison.Ordinal)..].TrimEnd('\r', '\n')).ToArray();

        var csv = new StringBuilder(header.TrimEnd('\r', '\n')).Append("\r\n");
        for (var i = skip; i < skip + rows; i++)
        {
            var n = 1 + (i % preloaded);
            var copy = i / preloaded;
            csv.Append(data.VerwijzingId(n));
            if (copy > 0)
            {
                csv.Append('c').Append(copy);
            }

            csv.Append(templates[n % 4]).Append("\r\n");
        }

        return Encoding.UTF8.GetBytes(csv.ToString());
    }

    [GeneratedRegex(@"\r?\n(?=WOR-2026-)")]
    private static partial Regex RecordStart();
}
