using System.Text.Json;
using Gateway.Mapping.LocalOffer;

namespace Gateway.Mapping.Tests.LocalOffer;

/// <summary>The directory sources' readers (SPEC §11): Open Referral UK / HSDS 3 and the welfare activities CSV, entry by entry.</summary>
public sealed class LocalOfferReaderTests
{
    [Fact]
    public void An_oruk_page_gives_each_service_with_its_organisation_location_contacts_and_taxonomy()
    {
        using var page = JsonDocument.Parse("""
            {"total_items":2,"total_pages":3,"page_number":1,"contents":[
              {"id":"s1","name":"Befriending","status":"active","email":"a@example.org",
               "organization":{"id":"o1","name":"Age Well"},
               "service_at_locations":[{"id":"sal","location":{"id":"l1","name":"Hall","latitude":"52.58","longitude":-1.98,
                 "addresses":[{"address_1":"Church Hill","city":"Walsall","postal_code":"WS1 3AY"}]}}],
               "contacts":[{"phones":[{"number":"01922 000001"}]}],
               "attributes":[{"taxonomy_term":{"code":"befriending","name":"Befriending","vocabulary":"https://example.org/activity"}}]},
              {"id":"s2","status":"defunct"}
            ]}
            """);

        var entries = OrukServiceReader.Read(page.RootElement);

        Assert.Equal(3, OrukServiceReader.TotalPages(page.RootElement));
        var first = entries[0].Entry!;
        Assert.Equal(("s1", "Befriending", true), (first.SourceId, first.Name, first.Active));
        Assert.Equal(new DirectoryOrganization("o1", "Age Well"), first.Organization);
        Assert.Equal(new DirectoryLocation("l1", "Hall", "Church Hill", "Walsall", "WS1 3AY", 52.58, -1.98), first.Location);
        Assert.Equal([new DirectoryContact("phone", "01922 000001"), new DirectoryContact("email", "a@example.org")], first.Contacts);
        Assert.Equal(new DirectoryCode("https://example.org/activity", "befriending", "Befriending"), Assert.Single(first.Categories));
        // A service without a name is rejected on its own, naming the field.
        Assert.Null(entries[1].Entry);
        Assert.Equal("$[1].name", Assert.Single(entries[1].Issues).Location);
    }

    [Fact]
    public void An_activities_csv_gives_capacity_and_rejects_a_bad_row_alone()
    {
        var csv = "\uFEFFid;naam;categorie;gemeente;adres;postcode;contact;neemt_verwijzingen_aan;wachttijd_dagen\n"
            + "a1;Wandelgroep;physical-activity;Kampen;Buitenhaven 4;8261 DR;038 000 0001;ja;7\n"
            + "a2;Koor;music;Kampen;;;koor@example.nl;nee;\n"
            + "a3;Taalcafe;befriending;Kampen;;;;misschien;twee\n";

        var (rows, header) = ActivitiesCsvReader.Read(new StringReader(csv), "wor", "Welzijn");

        Assert.Empty(header);
        Assert.Equal(new DirectoryCapacity(true, 7), rows[0].Entry!.Capacity);
        Assert.Equal("8261 DR", rows[0].Entry!.Location!.Postcode);
        Assert.Equal(new DirectoryCapacity(false, null), rows[1].Entry!.Capacity);
        Assert.Equal(new DirectoryContact("email", "koor@example.nl"), Assert.Single(rows[1].Entry!.Contacts));
        Assert.Null(rows[2].Entry);
        Assert.Equal(["row 4, neemt_verwijzingen_aan", "row 4, wachttijd_dagen"], rows[2].Issues.Select(i => i.Location));
    }

    [Fact]
    public void An_activities_csv_without_its_columns_is_refused_by_its_header()
    {
        var (rows, header) = ActivitiesCsvReader.Read(new StringReader("naam;categorie\nx;y\n"), "wor", "Welzijn");

        Assert.Empty(rows);
        Assert.Contains("id, gemeente, adres, postcode, contact, neemt_verwijzingen_aan, wachttijd_dagen", Assert.Single(header).Message, StringComparison.Ordinal);
    }
}
