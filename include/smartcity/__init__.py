"""smartcity: official Thai smart-city news turned into validated, reconciled open datasets.

The package imports nothing from Airflow; ``dags/`` and ``plugins/`` call into it.
"""

__version__ = "0.1.0"
