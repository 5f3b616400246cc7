import { useEffect, useRef } from 'react';

/** Infinite scroll: loads the next page when the end comes into view; the button does it by keyboard. */
export function LoadMore({ hasMore, loading, onMore, what }: { hasMore: boolean; loading: boolean; onMore: () => void; what: string }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el || !hasMore || typeof IntersectionObserver === 'undefined') return;
    const observer = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && !loading && onMore(), { rootMargin: '400px' });
    observer.observe(el);
    return () => observer.disconnect();
  }, [hasMore, loading, onMore]);
  if (!hasMore) return <p className="muted end">That’s all {what}.</p>;
  return (
    <div ref={ref} className="load-more">
      <button type="button" onClick={onMore} disabled={loading}>
        {loading ? 'Loading…' : `Load more ${what}`}
      </button>
    </div>
  );
}
