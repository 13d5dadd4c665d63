"""The domain core: enumerations, plain dataclasses and pure rules, with no Flask or SQLAlchemy.

Models, services, PDFs and charts import from here; nothing here imports them.
"""
