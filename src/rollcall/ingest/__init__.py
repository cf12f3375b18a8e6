"""Reading lists as bureaus receive them: CSV in any of the encodings met in practice and
XLSX, header mapping in Ukrainian, Russian and English, and row validation."""
