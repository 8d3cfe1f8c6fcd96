# Benchmark and scale-out (issue 7). Included from the root Makefile; see bench/README.md.
BENCH_PYTHON ?= $(or $(PY),.venv/bin/python)

.PHONY: bench bench-quick setup-bench run-cluster test-scale

PART_TESTS += bench-quick test-scale

bench: train  ## benchmark beside Rasa's starter bot: reports/bench.json + reports/bench.png
	$(BENCH_PYTHON) -m bench.run

bench-quick: train  ## a small run of the benchmark that proves the harness works (CI)
	$(BENCH_PYTHON) -m bench.run --quick --out reports/bench-quick.json --plot reports/bench-quick.png

# nginx (Debian package) for the load balancer, installed when missing.
setup-bench: setup
	@command -v nginx >/dev/null || /usr/sbin/nginx -v 2>/dev/null || { \
	  echo "Installing nginx (Debian package) ..."; \
	  $$( [ "$$(id -u)" = 0 ] || echo sudo ) apt-get install -y -q nginx-light || { \
	    $$( [ "$$(id -u)" = 0 ] || echo sudo ) apt-get update -q && \
	    $$( [ "$$(id -u)" = 0 ] || echo sudo ) apt-get install -y -q nginx-light; }; }

run-cluster: setup-bench train  ## two Rasa + two action servers behind nginx, PostgreSQL, Redis (RabbitMQ optional)
	@exec $(BENCH_PYTHON) deploy/cluster/cluster.py run

test-scale: setup-bench train  ## concurrent conversations through nginx across two servers, one killed mid-run
	$(VENV)/bin/pytest -q tests/scale -p no:cacheprovider
