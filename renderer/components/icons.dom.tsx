/** Simple line icons drawn inline (no icon font, no emoji font needed, nothing fetched). Decorative: hidden from screen readers. */
const common = { width: 40, height: 40, viewBox: '0 0 24 24', fill: 'none', stroke: 'currentColor', strokeWidth: 1.8, strokeLinecap: 'round' as const, strokeLinejoin: 'round' as const, 'aria-hidden': true, focusable: false };

export function ShieldIcon() {
  return (
    <svg {...common}>
      <path d="M12 3l8 3v6c0 4.5-3.4 8.2-8 9-4.6-.8-8-4.5-8-9V6l8-3z" />
      <path d="M8.5 12l2.5 2.5 4.5-5" />
    </svg>
  );
}

export function MoveIcon() {
  return (
    <svg {...common}>
      <rect x="2.5" y="7" width="11" height="10" rx="1.5" />
      <path d="M13.5 10h4l3 3.5V17h-7" />
      <circle cx="7" cy="18" r="1.8" />
      <circle cx="17" cy="18" r="1.8" />
    </svg>
  );
}

export function SearchIcon() {
  return (
    <svg {...common}>
      <circle cx="10.5" cy="10.5" r="6" />
      <path d="M15 15l5.5 5.5" />
    </svg>
  );
}

export function BoatIcon({ size = 30 }: { size?: number }) {
  return (
    <svg {...common} width={size} height={size}>
      <path d="M12 3v12" />
      <path d="M12 4l6 9h-6" />
      <path d="M11 6l-5 7h5" />
      <path d="M3 16h18l-2.5 4h-13z" />
    </svg>
  );
}
