# English pages use British-style dates ("31 May 2022"), like the Swedish ones.
DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j F Y, H:i"
