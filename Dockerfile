# Airflow image for docker-compose.yaml: the official Airflow 3.3.2 image plus our pinned
# requirements and the smartcity package (include/).  `docker compose build` builds it.
FROM apache/airflow:3.3.2-python3.11

COPY --chown=airflow:0 requirements.txt /opt/airflow/requirements.txt
RUN pip install --no-cache-dir -r /opt/airflow/requirements.txt

COPY --chown=airflow:0 pyproject.toml /opt/airflow/pyproject.toml
COPY --chown=airflow:0 include /opt/airflow/include
RUN pip install --no-cache-dir --no-deps -e /opt/airflow
