"""The ``backissue`` command: argument parsing, messages and exit codes only."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from rich.console import Console
from rich.filesize import decimal
from rich.markup import escape as escape_markup
from rich.progress import BarColumn, DownloadColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
from rich.progress import Progress as RichProgress

from generator import __version__
from generator.build import DEFAULT_OUTPUT, Progress, build
from generator.commands.check import ExternalChecker, check_site
from generator.commands.import_captures import import_captures
from generator.commands.inspect import as_text, inspect_captures
from generator.commands.newsite import init_site
from generator.commands.publish import DEFAULT_MAX_DELETES, Advance, Plan, PublishError, Target, publish, target_options
from generator.commands.serve import open_browser, start_preview
from generator.common.config import DEFAULT_CLUSTER_TIMEOUT, ConfigError, SiteConfig
from generator.common.config import load as load_config
from generator.common.controls import for_terminal
from generator.common.urls import UrlCollision
from generator.readers.scan import capture_files, is_readable
from generator.render.search import SearchError
from generator.store.executor import ClusterUnavailable
from generator.store.lock import BuildLocked
from generator.store.output import UnsafePath
from generator.store.targets import STATE_FOLDER, TargetRefused, require_site

EXIT_OK, EXIT_FAILED, EXIT_CONFIG = 0, 1, 2
PROGRESS_THRESHOLD = 200
console = Console(stderr=True, highlight=False)  # messages go to stderr; stdout is for inspect's output


def escape(text: str) -> str:
    """*text* for the terminal: rich markup and control characters (a file name's escape sequence) shown, not obeyed."""
    return escape_markup(for_terminal(text))


def _error(message: str) -> None:
    for line in message.splitlines():  # one problem per line, each marked
        console.print(f"[bold red]error:[/] {escape(line)}", soft_wrap=True)


def _warning(message: str) -> None:
    console.print(f"[yellow]warning:[/] {escape(message)}", soft_wrap=True)


def _notice(message: str) -> None:
    console.print(f"[cyan]notice:[/] {escape(message)}", soft_wrap=True)


def _load_config(site: Path | None) -> SiteConfig | None:
    """The site's settings, or None after printing why they cannot be used.

    Without ``--site`` (inspect, import) the settings are the defaults and the current folder is the site.
    """
    try:
        if site is None:
            return SiteConfig(site_path=Path("."))
        require_site(site)
        return load_config(site)
    except (ConfigError, TargetRefused) as error:
        _error(str(error))
        return None


class BarProgress(Progress):
    """A rich progress bar for stages long enough to deserve one."""

    @contextmanager
    def stage(self, name: str, total: int) -> Iterator[Callable[[], None]]:
        if total < PROGRESS_THRESHOLD or not console.is_terminal:
            yield lambda: None
            return
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        with RichProgress(*columns, console=console, transient=True) as bar:
            task = bar.add_task(name, total=total)
            yield lambda: bar.advance(task)


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    return args.command(args)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="backissue", description="Static sites from mirrored news archives.")
    parser.add_argument("--version", action="version", version=f"backissue {__version__}")
    commands = parser.add_subparsers(required=True, metavar="COMMAND")
    init_parser = commands.add_parser("init", help="start a new site: settings, an example article, capture and page")
    init_parser.add_argument("folder", nargs="?", type=Path, default=Path("."), metavar="DIR", help="default: here")
    init_parser.add_argument("--force", action="store_true", help="add to a non-empty folder (no file is replaced)")
    init_parser.set_defaults(command=run_init)

    build_parser = commands.add_parser("build", help="build the site into a static folder")
    build_parser.add_argument("--site", type=Path, default=Path("."), help="site folder (default: current folder)")
    build_parser.add_argument("--out", type=Path, help="output folder (default: SITE/public)")
    build_parser.add_argument(
        "--overwrite", action="store_true", help="replace --out even if it holds files backissue did not make"
    )
    build_parser.add_argument("--strict", action="store_true", help="exit with status 1 when there are warnings")
    build_parser.add_argument("--quiet", action="store_true", help="print only warnings and errors")
    build_parser.add_argument("--clean", action="store_true", help="ignore the build cache: read and render everything")
    build_parser.add_argument("--jobs", type=int, help="worker processes (default: one per core; 1: no workers)")
    build_parser.add_argument(
        "--executor", default="local", metavar="WHERE",
        help="where pages and images are made: local (default), dask-local, or dask://HOST:PORT",
    )  # fmt: skip
    build_parser.add_argument(
        "--cluster-timeout", type=float, metavar="SECONDS",
        help=f"give up on a dask:// cluster without workers after this long (default {DEFAULT_CLUSTER_TIMEOUT})",
    )  # fmt: skip
    build_parser.set_defaults(command=run_build)

    inspect_parser = commands.add_parser("inspect", help="show what a reader extracts from captures, and what it drops")
    inspect_parser.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="capture files or folders")
    inspect_parser.add_argument("--site", type=Path, help="site folder whose settings apply (default: none)")
    inspect_parser.add_argument("--json", action="store_true", help="one JSON object per input, one per line")
    inspect_parser.set_defaults(command=run_inspect)

    import_parser = commands.add_parser("import", help="write captures as page bundles you can edit")
    import_parser.add_argument("sources", nargs="+", type=Path, metavar="SRC", help="capture files or folders")
    import_parser.add_argument("--to", type=Path, required=True, metavar="DIR", help="folder for the page bundles")
    import_parser.add_argument("--site", type=Path, help="site folder whose settings apply (default: none)")
    import_parser.set_defaults(command=run_import)

    check_parser = commands.add_parser("check", help="check the built site's links, images and stylesheets")
    check_parser.add_argument("--site", type=Path, default=Path("."), help="site folder (default: current folder)")
    check_parser.add_argument("--out", type=Path, help="built folder to check (default: SITE/public)")
    check_parser.add_argument("--external", action="store_true", help="also check outbound links (cached for a week)")
    check_parser.set_defaults(command=run_check)

    publish_parser = commands.add_parser("publish", help="copy the built site to a host, only what changed")
    publish_parser.add_argument("target", nargs="?", metavar="NAME|URL", help="a [publish.NAME] of site.toml, or a URL")
    publish_parser.add_argument("--site", type=Path, default=Path("."), help="site folder (default: current folder)")
    publish_parser.add_argument("--out", type=Path, help="built folder to publish (default: SITE/public)")
    publish_parser.add_argument("--dry-run", action="store_true", help="show the plan's counts, change nothing")
    publish_parser.add_argument("--list", action="store_true", help="with --dry-run: list every file the plan touches")
    publish_parser.add_argument(
        "--max-deletes",
        type=int,
        default=DEFAULT_MAX_DELETES,
        metavar="N",
        help=f"refuse to delete more files (default {DEFAULT_MAX_DELETES})",
    )
    publish_parser.add_argument("--force", action="store_true", help="delete however many stale files the plan lists")
    publish_parser.add_argument(
        "--overwrite", action="store_true", help="let a file:// target replace a folder backissue did not make"
    )
    publish_parser.set_defaults(command=run_publish)

    serve_parser = commands.add_parser("serve", help="preview the site, rebuilding and reloading on every change")
    serve_parser.add_argument("--site", type=Path, default=Path("."), help="site folder (default: current folder)")
    serve_parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    serve_parser.add_argument("--port", type=int, default=8000, help="port (default: 8000; the next free one if taken)")
    serve_parser.add_argument("--open", action="store_true", help="open the preview in a browser")
    serve_parser.set_defaults(command=run_serve)
    return parser


def run_init(args: argparse.Namespace) -> int:
    try:
        report = init_site(args.folder, args.force)
    except TargetRefused as error:
        _error(str(error))
        return EXIT_FAILED
    for path in report.kept:
        _notice(f"{path} exists, left as it was")
    site = escape(str(args.folder))
    console.print(f"Created a site in {site} ({_count(len(report.written), 'file')} written).", soft_wrap=True)
    console.print(f"Next: backissue build --site {site}, then open {site}/public/index.html.", soft_wrap=True)
    return EXIT_OK


def run_build(args: argparse.Namespace) -> int:
    try:
        require_site(args.site)
        report = build(
            args.site,
            args.out,
            BarProgress() if not args.quiet else None,
            jobs=args.jobs,
            clean=args.clean,
            executor=args.executor,
            notice=_notice,
            cluster_timeout=args.cluster_timeout,
            overwrite=args.overwrite,
        )
    except (ConfigError, TargetRefused) as error:
        _error(str(error))
        return EXIT_CONFIG
    except ClusterUnavailable as error:
        _error(str(error))
        return EXIT_FAILED
    except (UrlCollision, UnsafePath, BuildLocked, SearchError) as error:
        _error(str(error))
        console.print("The previous output was left as it was.")
        return EXIT_FAILED
    for diagnostic in report.diagnostics:
        _warning(str(diagnostic))
    for failure in report.errors:
        _error(str(failure))
    if not args.quiet:
        skipped = f", {len(report.skipped)} skipped" if report.skipped else ""
        skipped += f", {_count(len(report.not_articles), 'page')} not articles" if report.not_articles else ""
        drafts = f", {_count(report.drafts, 'draft')} left out" if report.drafts else ""
        merged = f", {_count(report.merged_captures, 'duplicate capture')} merged" if report.merged_captures else ""
        console.print(
            f"Built {_count(report.articles, 'article')}{skipped}{drafts}{merged} into {_count(report.pages, 'page')}, "
            f"{_count(report.files, 'file')} written ({report.changed:,} changed) in {report.seconds:.2f} s; "
            f"{_count(len(report.diagnostics), 'warning')}.",
            soft_wrap=True,
        )
        console.print(f"Output: {escape(str(report.out_path.resolve()))}/index.html", soft_wrap=True)
    if report.errors:
        console.print("[bold red]Build failed:[/] fix the errors above; publish refuses this output until then.")
        return EXIT_FAILED
    if args.strict and report.diagnostics:
        console.print("[bold red]--strict:[/] failing because of the warnings above.")
        return EXIT_FAILED
    return EXIT_OK


def run_inspect(args: argparse.Namespace) -> int:
    config = _load_config(args.site)
    if config is None:
        return EXIT_CONFIG
    status = EXIT_OK
    for path in capture_files(args.paths, config.content.ignore):
        if not path.exists():
            _error(f"{path}: no such file")
            status = EXIT_FAILED
            continue
        if not path.is_file() or not is_readable(path):
            _error(f"{path}: not a file backissue reads")
            status = EXIT_FAILED
            continue
        for report in inspect_captures(path, config):
            print(json.dumps(report, ensure_ascii=False) if args.json else for_terminal(as_text(report)) + "\n")
            status = EXIT_FAILED if report["error"] else status
    return status


def run_import(args: argparse.Namespace) -> int:
    config = _load_config(args.site)
    if config is None:
        return EXIT_CONFIG
    try:
        report = import_captures(args.sources, config, args.to)
    except TargetRefused as error:
        _error(str(error))
        return EXIT_FAILED
    for diagnostic in report.diagnostics:
        _warning(str(diagnostic))
    for source, bundle in report.written:
        console.print(f"{escape(source)} → {escape(str(bundle))}", soft_wrap=True)
    for source, bundle in report.merged:
        console.print(f"{escape(source)} → merged into {escape(str(bundle))} (a duplicate capture)", soft_wrap=True)
    for skipped in report.skipped:
        console.print(f"skipped {escape(skipped)}", soft_wrap=True)
    console.print(f"Imported {_count(len(report.written), 'capture')} into {escape(str(args.to))}.")
    return EXIT_OK if report.written or not report.skipped else EXIT_FAILED


def run_check(args: argparse.Namespace) -> int:
    out_path = args.out or args.site / DEFAULT_OUTPUT
    if not (out_path / "index.html").is_file():
        _error(f"no built site in {out_path}; run backissue build first")
        return EXIT_FAILED
    problems, external, pages = check_site(out_path)
    for problem in problems:
        console.print(escape(str(problem)), soft_wrap=True)
    broken_external = 0
    if args.external and external:
        answers = ExternalChecker(args.site / STATE_FOLDER / "external-links.json").check(external)
        for url, problem in sorted(answers.items()):
            if problem:
                broken_external += 1
                console.print(f"external: {escape(url)} → {escape(problem)}", soft_wrap=True)
    checked = f", {_count(len(external), 'outbound link')} checked" if args.external else ""
    console.print(f"Checked {_count(pages, 'page')}{checked}: {_count(len(problems) + broken_external, 'problem')}.")
    return EXIT_FAILED if problems or broken_external else EXIT_OK


class PublishReporter:
    """The plan and a progress bar by bytes on a terminal; plain lines otherwise."""

    def __init__(self, listing: bool) -> None:
        self.listing = listing

    def notice(self, message: str) -> None:
        _notice(message)

    def plan(self, target: Target, plan: Plan) -> None:
        console.print(f"Publishing to {escape(target.description)}: {_plan_counts(plan)}.", soft_wrap=True)
        if self.listing:
            for mark, paths in (("+", plan.upload), ("~", plan.update), ("-", plan.delete)):
                for path in paths:
                    console.print(f"  {mark} {escape(path)}", soft_wrap=True)

    @contextmanager
    def transfer(self, total_bytes: int) -> Iterator[Advance]:
        if not console.is_terminal:
            yield lambda size: None
            return
        columns = (TextColumn("Uploading"), BarColumn(), DownloadColumn(), TimeElapsedColumn())
        with RichProgress(*columns, console=console, transient=True) as bar:
            task = bar.add_task("upload", total=total_bytes)
            yield lambda size: bar.advance(task, size)


def run_publish(args: argparse.Namespace) -> int:
    config = _load_config(args.site)
    if config is None:
        return EXIT_CONFIG
    started = time.perf_counter()
    try:
        options = target_options(config, args.target)
        reporter = PublishReporter(args.dry_run and args.list)
        plan = publish(args.site, args.out or args.site / DEFAULT_OUTPUT, options, reporter,
                       args.dry_run, args.max_deletes, args.force, args.overwrite)  # fmt: skip
    except (PublishError, BuildLocked) as error:
        _error(str(error))
        return EXIT_FAILED
    except KeyboardInterrupt:
        _error("interrupted: the remote may be partly updated; publish again to finish")
        return EXIT_FAILED
    seconds = time.perf_counter() - started
    if args.dry_run:
        cap = (
            f"; {len(plan.delete):,} deletions exceed --max-deletes {args.max_deletes}"
            if len(plan.delete) > args.max_deletes
            else ""
        )
        listed = "" if args.list else " (--list shows every file)"
        console.print(f"dry run: nothing was changed{cap}{listed}.")
    elif plan.empty:
        console.print("nothing to publish: remote is up to date.")
    else:
        console.print(
            f"published: {len(plan.upload):,} uploaded ({decimal(plan.size(plan.upload))}), "
            f"{len(plan.update):,} updated ({decimal(plan.size(plan.update))}), {len(plan.delete):,} deleted, "
            f"{len(plan.unchanged):,} unchanged in {seconds:.1f} s.",
            soft_wrap=True,
        )
    return EXIT_OK


def _plan_counts(plan: Plan) -> str:
    return (
        f"{len(plan.upload):,} to upload ({decimal(plan.size(plan.upload))}), {len(plan.update):,} to update "
        f"({decimal(plan.size(plan.update))}), {len(plan.delete):,} to delete, {len(plan.unchanged):,} unchanged"
    )


def run_serve(args: argparse.Namespace) -> int:
    def log(message: str) -> None:
        console.print(f"[dim]{time.strftime('%H:%M:%S')}[/] {escape(message)}", soft_wrap=True)

    if _load_config(args.site) is None:
        return EXIT_CONFIG
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        _warning(f"serving on {args.host}: other machines can reach this preview")
    preview = start_preview(args.site.resolve(), args.host, args.port, log)
    try:  # entered before the address is printed: a Ctrl-C right after it is still a clean stop
        console.print(f"Serving {preview.url} — watching content/, themes/, static/ and site.toml. Ctrl-C stops.")
        if args.open:
            open_browser(preview.url)
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        console.print("Stopping.")
    finally:
        preview.stop()
    return EXIT_OK


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


if __name__ == "__main__":
    sys.exit(main())
