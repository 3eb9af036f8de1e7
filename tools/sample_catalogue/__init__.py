"""The generator of the sample catalogue (app/data/sample_catalogue.json) and of its DOCX form
templates (app/data/templates/): Tuyên Quang province as it is in 2026. Sample data."""
