from django.db import migrations

# Abbreviations used in real medborgarlöften, their activity types and indicator sources.
ABBREVIATIONS = [
    (
        "SSPF",
        "Skolan, socialtjänsten, polisen och fritid",
        "School, social services, police and leisure",
        "Samverkan kring enskilda unga som riskerar att hamna i kriminalitet eller missbruk.",
        "Cooperation around young people at risk of crime or substance abuse.",
    ),
    (
        "EST",
        "Effektiv samordning för trygghet",
        "Effective coordination for safety",
        "Ett arbetssätt där kommunen, polisen och andra regelbundet delar en lägesbild "
        "och sätter in åtgärder där de behövs mest.",
        "A way of working in which the municipality, the police and others share a picture "
        "of the situation regularly and act where it is needed most.",
    ),
    (
        "LPO",
        "Lokalpolisområde",
        "Local police area",
        "Polisens lokala enhet för en eller flera kommuner eller stadsdelar. "
        "Det är lokalpolisområdet som ger medborgarlöftet tillsammans med kommunen.",
        "The police's local unit for one or more municipalities or city districts; it gives "
        "the promise together with the municipality.",
    ),
    (
        "Brå",
        "Brottsförebyggande rådet",
        "Swedish National Council for Crime Prevention",
        "Myndigheten som tar fram kriminalstatistiken och Nationella trygghetsundersökningen.",
        "The agency that publishes crime statistics and the Swedish Crime Survey.",
    ),
    (
        "NTU",
        "Nationella trygghetsundersökningen",
        "Swedish Crime Survey",
        "Brås årliga enkät om utsatthet för brott, otrygghet och förtroende.",
        "Brå's yearly survey of victimisation, feelings of safety and trust.",
    ),
    (
        "SCB",
        "Statistiska centralbyrån",
        "Statistics Sweden",
        "",
        "",
    ),
    (
        "EPA",
        "EPA-traktor: en ombyggd bil som får köras från 15 års ålder",
        "EPA tractor: a converted car that may be driven from the age of 15",
        "Namnet kommer från varuhuskedjan EPA. Trafikkontroller riktas ibland mot EPA- och "
        "A-traktorer.",
        "The name comes from the EPA department store chain.",
    ),
]


def seed(apps, schema_editor):
    Abbreviation = apps.get_model("promises", "Abbreviation")
    for term, expansion, expansion_en, description, description_en in ABBREVIATIONS:
        # Never overwrites what staff have since written: safe to run again.
        Abbreviation.objects.get_or_create(
            term=term,
            defaults={
                "expansion": expansion,
                "expansion_en": expansion_en,
                "description": description,
                "description_en": description_en,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("promises", "0008_abbreviation")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
