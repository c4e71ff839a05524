package io.kubemu.component.client;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The executor a component's fabric8 client runs its tasks on: reading each watch event and calling
 * the informers' event handlers. fabric8 chains those tasks (a watch's events one at a time, then
 * each handler's one at a time), each handing the next to the executor as it ends. Its default, a
 * cached thread pool, gives every task to an idle thread: a thread woken and another put to sleep
 * for each hand-over, three or more per event. Under a Deployment of 3,000 pods that was about half
 * of what those threads did.
 *
 * <p>Here the tasks wait in one queue for {@value #STANDING} threads, the lanes; a lane takes the
 * next task as its last one ends, without sleeping in between, so a busy lane needs no wake-up. Two
 * and not one: a watch's stages (reading an event, then handing it to the informer's store and its
 * handlers) overlap on two when the client's event loop hands on an event while a lane is busy, and
 * on one lane the scheduler bound pods later. A task that a lane hands on while no other task waits
 * does not wake the other lane: the lane takes it once its own task ends, as with fabric8's
 * hand-overs, made as a task ends. Those wake-ups were a third of the scheduler's lanes' context
 * switches. The price: a task handed on in the middle of a lane's task waits until that task ends,
 * or at most one {@link #STUCK}.
 *
 * <p>A task that blocks (a handler waiting for an answer) must not hold up the rest, nor wait for
 * ever for a task queued behind it: every {@link #STUCK} a watchdog wakes an idle lane for tasks
 * that wait, and when every lane has been busy with one task for {@link #STUCK}, it starts another
 * lane, which ends as soon as it finds no task waiting. So the tasks behind blocked ones wait one to
 * two {@link #STUCK}s for each lane blocked at once, where a cached pool would have started a thread
 * at once.
 */
public final class ClientTaskExecutor implements Executor {
  private static final Logger LOG = LoggerFactory.getLogger(ClientTaskExecutor.class);
  static final int STANDING = 2;
  static final Duration STUCK = Duration.ofMillis(100);
  /** A lane's {@code busySince} between tasks. */
  private static final long IDLE = Long.MIN_VALUE;

  /** Looks for stuck lanes in every executor of the process: one thread, waking every {@link #STUCK}. */
  private static final ScheduledExecutorService WATCHDOG = watchdog();

  private final String name;
  private final long stuckNanos;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition waitingTask = lock.newCondition();
  /** Tasks not yet taken, oldest first. Guarded by {@link #lock}, as {@link #idle} is. */
  private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
  /** Lanes waiting for a task. */
  private int idle;
  private final List<Lane> lanes = new CopyOnWriteArrayList<>();
  /** Lanes started so far, to number their threads; guarded by this. */
  private int started;
  private final ScheduledFuture<?> checks;
  private volatile boolean shutdown;

  /** @param name the lanes' thread names begin with it */
  public ClientTaskExecutor(String name) {
    this(name, STUCK);
  }

  ClientTaskExecutor(String name, Duration stuck) {
    this.name = name;
    this.stuckNanos = stuck.toNanos();
    this.checks = WATCHDOG.scheduleWithFixedDelay(this::checkLanes, stuck.toMillis(), stuck.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  @Override
  public void execute(Runnable task) {
    lock.lock();
    try {
      if (shutdown) {
        throw new RejectedExecutionException(name + " is shut down");
      }
      tasks.add(task);
      if (idle > 0 && !(tasks.size() == 1 && isOwnLane(Thread.currentThread()))) {
        waitingTask.signal(); // else the lane handing it on takes it next, or the watchdog wakes one
      }
    } finally {
      lock.unlock();
    }
    if (lanes.isEmpty()) {
      startStandingLanes();
    }
  }

  /** Stops every lane; tasks still waiting are dropped, as a pool's {@code shutdownNow} drops them. */
  public void shutdownNow() {
    shutdown = true;
    checks.cancel(false);
    lock.lock();
    try {
      tasks.clear();
    } finally {
      lock.unlock();
    }
    lanes.forEach(lane -> lane.thread.interrupt());
  }

  /** Lanes running now (for tests). */
  int lanes() {
    return lanes.size();
  }

  /** Lanes waiting for a task now (for tests). */
  int idleLanes() {
    lock.lock();
    try {
      return idle;
    } finally {
      lock.unlock();
    }
  }

  private synchronized void startStandingLanes() {
    if (lanes.isEmpty() && !shutdown) {
      for (int i = 0; i < STANDING; i++) {
        start(false);
      }
    }
  }

  /**
   * The watchdog's check: wakes an idle lane for a task handed on by a lane that is still busy,
   * or starts a lane beside stuck ones. It must not throw, or the watchdog would stop calling it.
   */
  private void checkLanes() {
    try {
      wakeOrStartLane();
    } catch (RuntimeException | Error e) {
      LOG.error("{} could not wake or start a lane for its waiting tasks", name, e);
    }
  }

  private synchronized void wakeOrStartLane() {
    lock.lock();
    try {
      if (shutdown || tasks.isEmpty()) {
        return;
      }
      if (idle > 0) {
        waitingTask.signal();
        return;
      }
    } finally {
      lock.unlock();
    }
    long now = System.nanoTime();
    for (Lane lane : lanes) {
      long since = lane.busySince;
      if (since == IDLE || now - since < stuckNanos) {
        return; // this lane takes the next task soon
      }
    }
    start(true);
  }

  /**
   * Called holding this executor's monitor.
   *
   * @param ends whether the lane ends when it finds no task waiting: every lane but the standing ones
   */
  private void start(boolean ends) {
    Lane lane = new Lane(ends);
    lane.thread = new LaneThread(this, lane, name + "-" + ++started);
    lane.thread.setDaemon(true);
    lanes.add(lane); // before it runs: a helper may find nothing to do and leave the list at once
    try {
      lane.thread.start();
    } catch (RuntimeException | Error e) {
      lanes.remove(lane); // a lane in the list that never runs would look idle for ever
      throw e;
    }
  }

  private final class Lane implements Runnable {
    private final boolean ends;
    private Thread thread;
    /** {@link System#nanoTime()} when its task started, {@link #IDLE} between tasks. */
    private volatile long busySince = IDLE;

    Lane(boolean ends) {
      this.ends = ends;
    }

    @Override
    public void run() {
      try {
        while (!shutdown) {
          Runnable task;
          try {
            task = take(!ends);
          } catch (InterruptedException e) {
            continue; // only shutting down ends a standing lane; an interrupt a task left does not
          }
          if (task == null) {
            return;
          }
          busySince = System.nanoTime();
          try {
            task.run();
          } catch (Throwable e) { // a checked exception thrown unchecked must not end the lane either
            LOG.warn("a task of {} failed", name, e);
          } finally {
            busySince = IDLE;
            Thread.interrupted(); // the next task starts uninterrupted, as in a thread pool
          }
        }
      } finally {
        lanes.remove(this);
      }
    }
  }

  /** The next task; a standing lane waits for one, a helper takes none when there is none. */
  private Runnable take(boolean wait) throws InterruptedException {
    lock.lockInterruptibly();
    try {
      while (wait && tasks.isEmpty() && !shutdown) {
        idle++;
        try {
          waitingTask.await();
        } finally {
          idle--;
        }
      }
      return tasks.poll();
    } finally {
      lock.unlock();
    }
  }

  private boolean isOwnLane(Thread thread) {
    return thread instanceof LaneThread lane && lane.executor == this;
  }

  /** A lane's thread, which knows its executor. */
  private static final class LaneThread extends Thread {
    final ClientTaskExecutor executor;

    LaneThread(ClientTaskExecutor executor, Runnable lane, String name) {
      super(lane, name);
      this.executor = executor;
    }
  }

  private static ScheduledExecutorService watchdog() {
    ScheduledThreadPoolExecutor watchdog = new ScheduledThreadPoolExecutor(1, runnable -> {
      Thread thread = new Thread(runnable, "client-task-watchdog");
      thread.setDaemon(true);
      return thread;
    });
    watchdog.setRemoveOnCancelPolicy(true);
    return watchdog;
  }
}
