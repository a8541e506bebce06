"""Pure transforms: raw Azure JSON, DNS answers and DER bytes -> the model's records."""
