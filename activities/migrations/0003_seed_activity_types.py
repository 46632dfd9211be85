from django.db import migrations

# The kinds of activity seen in real medborgarlöften (see the project's domain notes).
TYPES = [
    ("fotpatrullering", "Fotpatrullering och polisnärvaro", "Foot patrol and police presence"),
    ("riktad-insats", "Riktad insats", "Targeted operation"),
    ("trygghetsvandring", "Trygghetsvandring", "Safety walk"),
    ("medborgardialog", "Medborgardialog och trygghetskväll", "Resident dialogue and safety evening"),
    ("foraldrastarkande", "Föräldrastärkande insats", "Parent support"),
    ("nattvandring", "Nattvandring och föräldravandring", "Night and parent walk"),
    ("fysisk-atgard", "Fysisk åtgärd", "Physical measure"),
    ("sanering", "Klotter- och skadegörelsesanering", "Graffiti and vandalism clean-up"),
    ("trafikkontroll", "Trafikkontroll", "Traffic check"),
    ("hastighetsdisplay", "Hastighetsdisplay", "Speed display"),
    ("skolsamverkan", "Skolsamverkan (SSPF)", "School cooperation (SSPF)"),
    ("bedrageriinformation", "Information mot bedrägerier", "Information against fraud"),
    ("naringsliv", "Samverkan med näringslivet", "Cooperation with local business"),
    ("myndighetssamverkan", "Myndighetssamverkan", "Inter-agency cooperation"),
]


def seed(apps, schema_editor):
    ActivityType = apps.get_model("promises", "ActivityType")
    for position, (slug, name, name_en) in enumerate(TYPES, start=1):
        ActivityType.objects.update_or_create(
            slug=slug, defaults={"name": name, "name_en": name_en, "position": position * 10}
        )


class Migration(migrations.Migration):
    dependencies = [("activities", "0002_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
