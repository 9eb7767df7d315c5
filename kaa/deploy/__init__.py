"""Deployment: a Kaa service as an artifact that other systems run.

`image` packs a service into an OCI image (the kernel, the host's QEMU with exactly
the libraries and firmware it opens, and a small static entry point), written as a
tarball that `docker load` and `podman load` accept; the other modules describe that
image or the service to orchestrators (Kubernetes, Swarm, Nomad manifests, libvirt
domains) or run several services together on one machine (`kaa up`).
"""
