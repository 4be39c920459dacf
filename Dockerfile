# Airflow image for docker-compose.yaml: the official Airflow 3.3.2 image plus our runtime lock
# (requirements.txt, hashed; no test or lint tools: those are in requirements-dev.txt) and the
# smartcity package (include/, with the expectation suites).  `docker compose build` builds it.
FROM apache/airflow:3.3.2-python3.11

# Airflow's constraints: the image's Airflow was installed with them; this step must not move it.
# Airflow's documented rule for adding packages to the image is to name apache-airflow==<image
# version> in the same pip command instead of the constraints file (our pins differ from it, e.g.
# pandas 3); the lock pins apache-airflow and apache-airflow-core to 3.3.2, the image's own, and
# the build fails if pip would change them.
COPY --chown=airflow:0 requirements.txt /opt/airflow/requirements.txt
RUN pip install --no-cache-dir --require-hashes -r /opt/airflow/requirements.txt \
 && python -c 'import airflow, sys; sys.exit(airflow.__version__ != "3.3.2")'

COPY --chown=airflow:0 pyproject.toml /opt/airflow/pyproject.toml
COPY --chown=airflow:0 include /opt/airflow/include
COPY --chown=airflow:0 expectations /opt/airflow/expectations
RUN pip install --no-cache-dir --no-deps -e /opt/airflow
